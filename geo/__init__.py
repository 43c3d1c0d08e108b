"""Shelters, evacuation sites and AEDs: open-data readers, nearest-neighbour index, distances."""
