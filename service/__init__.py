"""The Rencai Match service: FastAPI app, pages, use cases and the CLI."""
