"""Email: rendering, the outbox, delivery, digests, unsubscribe, the embedded SMTP sink."""
from flask import Blueprint

bp = Blueprint("mail", __name__)
