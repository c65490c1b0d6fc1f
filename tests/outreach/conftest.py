"""Fixtures of the outreach tests: the real SMTP server of tests/conftest.py, able to refuse some addresses
permanently (550 at RCPT TO, as a receiving server does for an unknown mailbox)."""

from __future__ import annotations

import pytest

from tests.conftest import SMTPServer, _Handler, _unused_port


class _RefusingHandler(_Handler):
    async def handle_RCPT(self, smtp_server, session, envelope, address, rcpt_options):
        if address.lower() in self.server.refused_addresses:
            return "550 5.1.1 <%s>: mailbox unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """The real SMTP server (aiosmtpd); add addresses to ``refused_addresses`` to have them refused with 550."""
    from aiosmtpd.controller import Controller

    port = _unused_port()
    server = SMTPServer("127.0.0.1", port)
    server.refused_addresses = set()
    controller = Controller(_RefusingHandler(server), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def app(make_app, smtp_server):
    """The app with test settings, delivering to the test SMTP server."""
    return make_app(**smtp_server.app_config())
