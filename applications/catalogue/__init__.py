"""Procedures and life events: definition files, their checks, versions and look-ups."""
