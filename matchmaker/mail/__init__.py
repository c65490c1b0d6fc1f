"""Email: rendering, the outbox, delivery, digests, unsubscribe, the embedded SMTP sink."""
from flask import Blueprint

bp = Blueprint("mail", __name__)

from matchmaker.mail import views  # noqa: E402,F401  (register the routes)
