"""Email: rendering, the outbox, delivery, digests, unsubscribe, the embedded SMTP sink."""
