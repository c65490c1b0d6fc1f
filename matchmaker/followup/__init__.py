"""Follow-through after both sides said "interested": the first video call across time zones (and what follows)."""
