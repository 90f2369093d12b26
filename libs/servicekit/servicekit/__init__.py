"""Infrastructure shared by the ektp services. Never domain rules."""
