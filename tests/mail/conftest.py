"""Fixtures of the mail tests: a template folder with a sample email beside the application's templates."""

from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

TEST_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The sample email's name (tests/mail/templates/mail/email/sample.*), as the mail area's emails are named.
SAMPLE = "mail/email/sample"


def add_sample_templates(app):
    """Make the sample email (``SAMPLE``, in tests/mail/templates) renderable by ``app``."""
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(str(TEST_TEMPLATES)), app.jinja_env.loader])
    return app


@pytest.fixture
def mail_app(make_app):
    """An app whose public address and mail domain differ from the test client's host, with the sample email."""
    return add_sample_templates(make_app(BASE_URL="https://matchmaker.example.org/app", MAIL_DOMAIN="mail.example.org"))
