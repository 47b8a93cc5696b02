"""Loaders of the plan's reference data into the database, and the demo population
generator. The reference data itself lives in :mod:`reference`."""
