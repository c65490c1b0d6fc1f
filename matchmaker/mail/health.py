"""Reachability of the SMTP server, for the health check, and the outbox's health for operators."""

import socket
from dataclasses import dataclass
from datetime import timedelta

from matchmaker.clock import utcnow
from matchmaker.mail import queries


def smtp_reachable(config, timeout: float = 2.0) -> bool:
    """Whether a TCP connection to the configured SMTP server succeeds."""
    try:
        with socket.create_connection((config["MAIL_SERVER"], int(config["MAIL_PORT"])), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class OutboxHealth:
    """One line of what an operator needs first: can we reach the relay, how long has mail waited, what is unsure."""

    relay_reachable: bool
    oldest_pending: timedelta | None
    ambiguous: int
    failed: int
    pending: int

    def summary(self) -> str:
        """``health: relay reachable; 3 pending, oldest pending 0 h 02 min; failed 0; ambiguous 0`` (for the CLI)."""
        relay = "relay reachable" if self.relay_reachable else "relay unreachable"
        oldest = f", oldest pending {format_age(self.oldest_pending)}" if self.oldest_pending is not None else ""
        return f"health: {relay}; {self.pending} pending{oldest}; failed {self.failed}; ambiguous {self.ambiguous}"


def format_age(age: timedelta) -> str:
    """``2 h 05 min`` (the same in every language)."""
    minutes = max(0, int(age.total_seconds() // 60))
    return f"{minutes // 60} h {minutes % 60:02d} min"


def outbox_health(config) -> OutboxHealth:
    """The outbox's health now (reads the database; the caller's transaction stays open)."""
    counts = queries.status_counts()
    oldest = queries.oldest_pending_at()
    return OutboxHealth(
        smtp_reachable(config),
        None if oldest is None else utcnow() - oldest,
        counts.get("ambiguous", 0),
        counts.get("failed", 0),
        counts.get("pending", 0),
    )
