"""Structured logs: one JSON object per line on stderr, with the request id when there is one."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a log record as a JSON line; extra fields given with ``extra=`` are kept."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record."""
        data = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                data[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(level: str) -> None:
    """Send the ``matchmaker`` loggers to stderr as JSON lines (idempotent)."""
    logger = logging.getLogger("matchmaker")
    logger.setLevel(level.upper())
    if not any(getattr(h, "_matchmaker", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._matchmaker = True
        logger.addHandler(handler)
    logger.propagate = False
