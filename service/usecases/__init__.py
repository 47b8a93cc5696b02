"""Use cases: what a user can do, independent of HTTP. Each takes ``session`` keyword-only,
commits at most once, and raises ``AppError`` for anything a person must fix."""
