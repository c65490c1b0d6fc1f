"""The application factory: settings first, then extensions, blueprints, error handlers and commands."""

from __future__ import annotations

import functools
import logging
import os
import time
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, g, request
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from matchmaker import database
from matchmaker.commands import register_commands as register_app_commands
from matchmaker.config import build_config
from matchmaker.dates import register_filters as register_date_filters
from matchmaker.extensions import babel, csrf, db, limiter, login_manager, mail
from matchmaker.followup import views as followup_views
from matchmaker.i18n import compile_catalogs, install_particles, select_locale, select_timezone
from matchmaker.logging import configure_logging
from matchmaker.mail import views as mail_views
from matchmaker.outreach import views as outreach_views
from matchmaker.paths import TEMPLATES_DIR
from matchmaker.questionnaire import views as questionnaire_views
from matchmaker.review import views as review_views
from matchmaker.security import init_security
from matchmaker.site import views as site_views
from matchmaker.site.errors import register as register_error_pages
from matchmaker.site.input import register as register_input
from matchmaker.site.input import request_id
from matchmaker.staff import views as staff_views
from matchmaker.suggestions import views as suggestions_views
from matchmaker.vocabulary import LANGUAGE_NAMES, LANGUAGES

#: The areas with web pages, registered in this order: each area's ``views.py`` defines its blueprint ``bp``.
AREA_VIEWS = (
    site_views,
    staff_views,
    questionnaire_views,
    review_views,
    mail_views,
    followup_views,
    outreach_views,
    suggestions_views,
)

#: The installed distribution, whose ``flask.commands`` entry points add the jobs layer's commands.
DISTRIBUTION = "matchmaker"

log = logging.getLogger("matchmaker.app")


def create_app(test_config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Create the app: defaults, then the environment, then ``test_config``; only then the extensions."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("MATCHMAKER_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
    )
    configure_settings(app, test_config, os.environ if environ is None else environ)
    configure_logging(app.config["LOG_LEVEL"])
    register_extensions(app)
    register_input_checks(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure_settings(app: Flask, test_config, environ) -> None:
    """Apply and check every setting before anything reads them."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(build_config(Path(app.instance_path), environ, test_config))
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app, after the settings are final."""
    db.init_app(app)
    mail.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(compile_catalogs(Path(app.instance_path) / "i18n"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_particles(app.jinja_env)
    register_date_filters(app.jinja_env)
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES  # also in imported macros, which see no context
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_security(app)


def register_input_checks(app: Flask) -> None:
    """Bounded ids in routes and no unstorable character in any request (before the routes are added)."""
    register_input(app)


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprint."""
    for views in AREA_VIEWS:
        app.register_blueprint(views.bp)


def register_request_hooks(app: Flask) -> None:
    """Per-request bookkeeping: request id, SQLite read/write intent, access log."""

    @app.before_request
    def _start():
        g.request_id = request_id(request.headers.get("X-Request-Id")) or uuid.uuid4().hex[:16]
        g.started = time.perf_counter()
        g.write_token = database.write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.after_request
    def _log(response):
        took = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        response.headers.setdefault("X-Request-Id", g.get("request_id", ""))
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(took, 1),
                "request_id": g.get("request_id"),
            },
        )
        return response

    @app.teardown_request
    def _reset(_exc):
        token = g.pop("write_token", None)
        if token is not None:
            database.write_intent.reset(token)


def register_errorhandlers(app: Flask) -> None:
    """Localised error pages; never a bare 500 page."""
    register_error_pages(app)


def register_commands(app: Flask) -> None:
    """Expose the ``matchmaker`` commands on ``app.cli`` too (``flask --app matchmaker …``, test runners).

    Besides the app's own, that is the commands this distribution declares for Flask's command discovery
    (``flask.commands`` entry points: the jobs layer's ``scheduler`` and ``serve``), which the app does not import
    by name since the jobs layer sits on top of it.
    """
    register_app_commands(app.cli)
    for entry_point in _plugin_commands():
        if entry_point.name not in app.cli.commands:
            app.cli.add_command(entry_point.load(), entry_point.name)


@functools.cache
def _plugin_commands() -> tuple[metadata.EntryPoint, ...]:
    """The ``flask.commands`` entry points of this distribution (read once: scanning them takes a while)."""
    return tuple(
        ep
        for ep in metadata.entry_points(group="flask.commands")
        if ep.dist is not None and ep.dist.name == DISTRIBUTION
    )


def register_template_helpers(app: Flask) -> None:
    """Values every template can use."""

    from flask_babel import lazy_gettext as _l

    #: The staff menu, in order; an entry shows only when its area registered the endpoint.
    menu = [
        ("review.pairs", _l("Pairs")),
        ("review.dashboard", _l("Dashboard")),
        ("followup.staff_followup", _l("Follow-up")),
        ("questionnaire.staff_responses", _l("Responses")),
        ("suggestions.weights", _l("Weights")),
        ("mail.staff_outbox", _l("Emails")),
        ("outreach.campaigns", _l("Campaigns")),
        ("outreach.staff_partnerships", _l("Partnerships")),
        ("outreach.seminar_panels", _l("Seminars")),
        ("outreach.booklet", _l("Booklet")),
    ]

    def has_endpoint(endpoint: str) -> bool:
        return endpoint in app.view_functions

    def staff_menu():
        return [(endpoint, label) for endpoint, label in menu if has_endpoint(endpoint)]

    @app.context_processor
    def _globals():
        return {
            "current_lang": str(get_locale()),
            "languages": LANGUAGES,
            "has_endpoint": has_endpoint,
            "staff_menu": staff_menu,
        }
