"""The ektp reporting service."""
