"""HTTP security: headers on every response and a Content-Security-Policy without inline script.

The service's own ``after_request`` (it replaces Flask-Talisman, unmaintained since 2023, with the same headers):
Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Permissions-Policy, and in
production HSTS on HTTPS requests and a redirect of plain HTTP to HTTPS. A view can change its frame options and
policy with :func:`page_security`.
"""

from __future__ import annotations

from typing import Callable, Mapping

from flask import Flask, current_app, redirect, request

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
FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "same-origin"
#: No Topics API (what browsers would otherwise infer about the reader's interests).
PERMISSIONS_POLICY = "browsing-topics=()"
HSTS = "max-age=31556926; includeSubDomains"
#: Attribute of a view function holding its own options (see :func:`page_security`).
OPTIONS_ATTRIBUTE = "security_options"


def policy_header(policy: Mapping[str, str | list[str]]) -> str:
    """A policy as a header value: ``directive source source; directive …``."""
    parts = []
    for directive, sources in policy.items():
        value = sources if isinstance(sources, str) else " ".join(sources)
        parts.append(f"{directive} {value}".strip())
    return "; ".join(parts)


def page_security(*, frame_options: str | None = None, content_security_policy: Mapping | None = None) -> Callable:
    """Decorate a view to send its own X-Frame-Options and Content-Security-Policy (e.g. a sandboxed frame)."""
    options = {
        k: v
        for k, v in (("frame_options", frame_options), ("content_security_policy", content_security_policy))
        if v is not None
    }

    def decorator(view):
        setattr(view, OPTIONS_ATTRIBUTE, options)
        return view

    return decorator


def _view_options() -> dict:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, OPTIONS_ATTRIBUTE, {})


def _secure_request() -> bool:
    """Whether the request came over HTTPS (directly, or through the proxy that ended TLS)."""
    return request.is_secure or request.headers.get("X-Forwarded-Proto", "http") == "https"


def init_security(app: Flask) -> None:
    """Send security headers on every response; HTTPS redirect and HSTS only in production."""
    production = app.config["ENV"] == "production"
    force_https = production and not app.config.get("TESTING")

    @app.before_request
    def _redirect_to_https():
        if force_https and not app.debug and not _secure_request() and request.url.startswith("http://"):
            return redirect(request.url.replace("http://", "https://", 1), code=302)
        return None

    @app.after_request
    def _security_headers(response):
        options = _view_options()
        headers = response.headers
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["X-Frame-Options"] = options.get("frame_options", FRAME_OPTIONS)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Content-Security-Policy"] = policy_header(
            options.get("content_security_policy", CONTENT_SECURITY_POLICY)
        )
        if production and _secure_request():
            headers["Strict-Transport-Security"] = HSTS
        headers["Referrer-Policy"] = REFERRER_POLICY
        return response


def private_page(response):
    """A page reached through a private link: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
