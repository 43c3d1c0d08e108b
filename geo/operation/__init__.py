"""Shelter operation in a disaster: staff keep each opened shelter's capacity, headcount and
what it offers up to date (time-stamped, attributed); the public status board shows it."""
