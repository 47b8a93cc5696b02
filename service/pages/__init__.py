"""Server-rendered pages. They call the same use cases as the JSON API."""
