"""Reachability of the SMTP server, for the health check."""
import socket


def smtp_reachable(config, timeout: float = 2.0) -> bool:
    """Whether a TCP connection to the configured SMTP server succeeds."""
    try:
        with socket.create_connection((config["MAIL_SERVER"], int(config["MAIL_PORT"])), timeout=timeout):
            return True
    except OSError:
        return False
