"""Recipient addresses: exactly one mailbox, no line breaks, so nothing a user typed can add a header or a recipient."""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.utils import getaddresses

#: Conservative: an ASCII local part without spaces or separators, a dotted domain (IDN must arrive as punycode).
ADDR_SPEC_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
FORBIDDEN_CHARS = ("\r", "\n", "\x00")


class AddressError(ValueError):
    """A recipient is not exactly one valid email address."""


def _check_chars(value: str, what: str) -> None:
    if any(ch in value for ch in FORBIDDEN_CHARS):
        raise AddressError(f"{what} contains a line break or NUL")


def parse_recipient(to: str | tuple[str | None, str]) -> tuple[str | None, str]:
    """Return ``(display name or None, address)`` for ``"a@b.fr"``, ``"Name <a@b.fr>"`` or ``(name, address)``."""
    if isinstance(to, tuple):
        if len(to) != 2:
            raise AddressError("a recipient tuple is (name, address)")
        name, addr = to
        name = (name or "").strip() or None
        addr = (addr or "").strip()
        if name is not None:
            _check_chars(name, "display name")
    else:
        if not isinstance(to, str) or not to.strip():
            raise AddressError("no recipient address")
        _check_chars(to, "recipient")
        found = getaddresses([to])
        if len(found) != 1 or not found[0][1]:
            raise AddressError(f"expected exactly one address, got {to!r}")
        name, addr = found[0]
        name = name.strip() or None
    _check_chars(addr, "address")
    if len(addr) > 254 or not ADDR_SPEC_RE.match(addr):
        raise AddressError(f"not a valid email address: {addr!r}")
    if name is not None and len(name) > 200:
        raise AddressError("display name too long")
    return name, addr


def as_header_address(name: str | None, addr: str) -> Address:
    """An ``email.headerregistry.Address`` (encodes a Korean or accented display name per RFC 2047 when serialised)."""
    local, domain = addr.rsplit("@", 1)
    return Address(display_name=name or "", username=local, domain=domain)


def format_recipient(name: str | None, addr: str) -> str:
    """``"Name" <address>`` with the name as a quoted string (commas or quotes in it stay part of the name)."""
    if not name:
        return addr
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{addr}>'
