"""The ektp inventory service."""
