"""Pydantic schemas (``XCreate / XUpdate / XRead``), kept apart from the tables."""
