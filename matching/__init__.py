"""Pure matching library: encoders, lexical channel, FAISS index, constraints, scoring,
assignment and evaluation. numpy and dataclasses in and out; it never imports FastAPI,
SQLAlchemy, ``service`` or ``models``."""
