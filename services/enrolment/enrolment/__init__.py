"""The ektp enrolment service."""
