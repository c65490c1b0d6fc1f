"""HTTP security: headers and a Content-Security-Policy without inline script (Flask-Talisman)."""
from flask import Flask
from flask_talisman import Talisman

#: Everything from our own origin; no inline script or style, no external CDN.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

talisman = Talisman()


def init_security(app: Flask) -> None:
    """Send security headers on every response; HTTPS and HSTS only in production."""
    production = app.config["ENV"] == "production"
    talisman.init_app(
        app,
        force_https=production and not app.config.get("TESTING"),
        strict_transport_security=production,
        session_cookie_secure=production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        frame_options="DENY",
    )
