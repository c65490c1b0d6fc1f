"""Personal data: export everything held about a contact person, erase it, enforce the retention period."""
