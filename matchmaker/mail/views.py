"""Pages of the mail area: unsubscribe and "still accurate" confirmation (no login), the staff outbox and the
messages captured by the embedded SMTP sink."""

from __future__ import annotations

from email.utils import parseaddr, parsedate_to_datetime

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import tokens
from matchmaker.dates import long_moment
from matchmaker.extensions import csrf, db, limiter
from matchmaker.mail import queries
from matchmaker.mail import unsubscribe as subscriptions
from matchmaker.mail.delivery import retry_message
from matchmaker.mail.health import format_age, outbox_health
from matchmaker.mail.reminders import confirm_accuracy
from matchmaker.mail.sink import captured_mail_dir, get_captured, list_captured, message_parts
from matchmaker.mail.unsubscribe import subscription_for_token
from matchmaker.models.mail import OUTBOX_STATUSES
from matchmaker.questionnaire.queries import find_response
from matchmaker.security import page_security
from matchmaker.site.errors import render_error
from matchmaker.site.input import int_arg
from matchmaker.staff import visibility
from matchmaker.staff.access import staff_required

#: The area's blueprint: unsubscribe and confirmation pages, the staff outbox, the captured messages.
bp = Blueprint("mail", __name__)

PAGE_SIZE = 50
MAX_PAGE = 1_000_000
#: The HTML of a captured email runs in a sandboxed frame with no script, no network, no form.
CAPTURED_HTML_CSP = {
    "default-src": "'none'",
    "style-src": "'unsafe-inline'",
    "img-src": "data:",
    "frame-ancestors": "'self'",
    "sandbox": "",
}


def _private(response):
    """Pages reached through a private link are not cached and do not leak their URL.

    The app-wide Referrer-Policy (same-origin) already keeps the URL from other sites; "no-referrer" would also
    strip the Referer of the page's own form, which Flask-WTF requires on HTTPS, and break its button in production.
    """
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


# --- unsubscribe (no login) -------------------------------------------------------------------------------------


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def unsubscribe(token: str):
    """GET: a confirmation page (opening the link, as mail scanners do, changes nothing). POST: unsubscribe,
    from the page's button or as an RFC 8058 one-click POST by a mail client; ``action=resubscribe`` undoes it."""
    sub = subscription_for_token(token)
    if sub is None:
        return _private(
            make_response(
                render_error(404, _("This unsubscribe link is not valid. Copy the whole address from the email."))
            )
        )
    state = "ask"
    if request.method == "POST":
        if request.form.get("action") == "resubscribe":
            subscriptions.resubscribe(sub)
            state = "resubscribed"
        else:
            subscriptions.unsubscribe(sub)
            state = "done"
        db.session.commit()
    return _private(make_response(render_template("mail/unsubscribe.html", sub=sub, token=token, state=state)))


# RFC 8058 one-click POSTs come from mail clients without any page or session: the signed token is the secret.
csrf.exempt(unsubscribe)


# --- "is your response still accurate?" (private link) -------------------------------------------------------


def _response_for(token: str):
    try:
        found = tokens.resolve_token(token, "edit")
    except tokens.TokenError as exc:
        if exc.reason == "unknown":
            return None, render_error(404, _("This private link is not known. Copy the whole address from the email."))
        return None, render_error(
            410,
            _("This private link has expired or was revoked. Ask Cités Unies France or GAROK staff for a new link."),
        )
    response = find_response(found.response_id) if found.response_id else None
    if response is None or response.status != "submitted":
        return None, render_error(404)
    return response, None


@bp.route("/still-accurate/<token>", methods=["GET", "POST"], endpoint="confirm_accuracy")
@limiter.limit("30 per minute", methods=["POST"])
def confirm_accuracy_page(token: str):
    """GET: ask to confirm the answers are still accurate; POST: record it."""
    response, error = _response_for(token)
    if error is not None:
        return _private(make_response(error))
    done = False
    if request.method == "POST":
        confirm_accuracy(response)
        db.session.commit()
        done = True
    return _private(
        make_response(render_template("mail/confirm_accuracy.html", response=response, token=token, done=done))
    )


# --- staff: the outbox and captured messages ---------------------------------------------------------------------


@bp.get("/staff/emails")
@staff_required
def staff_outbox():
    """Every email of the outbox, filterable, with its status, attempts and last error; captured messages below."""
    status = request.args.get("status") or ""
    kind = request.args.get("kind") or ""
    query_text = (request.args.get("q") or "").strip()[:100]
    listing = queries.outbox_page(status, kind, query_text, int_arg("page", 1, maximum=MAX_PAGE), PAGE_SIZE)
    captured, captured_total = ([], 0)
    sink_on = captured_mail_dir().is_dir()
    if sink_on:
        captured, captured_total = list_captured(limit=50)
    readable = visibility.visible_captured(((m.message_id, parseaddr(m.to)[1]) for m in captured), current_user.org)
    return render_template(
        "mail/staff_outbox.html",
        rows=listing.rows,
        counts=queries.status_counts(),
        statuses=OUTBOX_STATUSES,
        kinds=queries.kinds(),
        visible=visibility.visible_outbox(listing.rows, current_user.org),
        captured_visible={m.key: readable.get(m.message_id, False) for m in captured},
        filters={"status": status, "kind": kind, "q": query_text},
        page=listing.page,
        pages=listing.pages,
        total=listing.total,
        captured=captured,
        captured_total=captured_total,
        sink_on=sink_on,
        health=outbox_health(current_app.config),
        format_age=format_age,
    )


@bp.post("/staff/emails/<int:message_id>/retry")
@staff_required
def staff_retry(message_id: int):
    """Put a failed or ambiguous email back in the queue (an explicit staff decision)."""
    if retry_message(message_id):
        db.session.commit()
        flash(_("The email will be sent again at the next delivery (within a minute)."), "success")
    else:
        db.session.rollback()
        flash(_("Only failed or ambiguous emails can be sent again."), "error")
    return redirect(url_for("mail.staff_outbox", status=request.form.get("back_status") or None))


def _header_value(name: str, value: str) -> str:
    """A header as the reader reads it: the date in words in the reader's language and time zone."""
    if name == "Date":
        try:
            return long_moment(parsedate_to_datetime(value))
        except (TypeError, ValueError):
            return value
    return value


def _readable_captured(key: str):
    """A captured message the user's association may read (404 when missing, 403 when for the other side's contact)."""
    msg = get_captured(key)
    if msg is None:
        abort(404)
    message_id = str(msg.get("Message-ID", "")).strip()
    if not visibility.visible_captured([(message_id, parseaddr(str(msg.get("To", "")))[1])], current_user.org).get(
        message_id
    ):
        abort(403)
    return msg


@bp.get("/staff/emails/captured/<key>")
@staff_required
def captured_message(key: str):
    """One message captured by the embedded SMTP sink: headers, plain text, and the HTML in a sandboxed frame."""
    msg = _readable_captured(key)
    text, html = message_parts(msg)
    headers = [
        (name, _header_value(name, str(msg.get(name))))
        for name in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post")
        if msg.get(name)
    ]
    return render_template("mail/captured_message.html", key=key, headers=headers, text=text, has_html=html is not None)


@bp.get("/staff/emails/captured/<key>/html")
@page_security(frame_options="SAMEORIGIN", content_security_policy=CAPTURED_HTML_CSP)
@staff_required
def captured_html(key: str):
    """The HTML part of a captured message, served only into the sandboxed frame of the page above."""
    html = message_parts(_readable_captured(key))[1]
    if html is None:
        abort(404)
    response = make_response(html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response
