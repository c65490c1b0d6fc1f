"""Matchmaker: partner matchmaking between French and Korean local governments."""
