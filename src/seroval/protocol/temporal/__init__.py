"""Temporal values: Python's date and time types as ``Temporal.*`` and their ISO texts."""
