"""The API reference page at /api/docs/: the OpenAPI schema laid out as a page of the service."""
