"""The ektp documents service."""
