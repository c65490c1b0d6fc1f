"""Staff pages of the questionnaire: the list of responses with filters, one response with its history,
revoking and re-sending private links, and downloads of the responses."""

from __future__ import annotations

import io

from flask import Response as HTTPResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.models import Response
from matchmaker.questionnaire import codes, queries
from matchmaker.questionnaire.exporting import FORMATS
from matchmaker.questionnaire.operations import export_responses, revoke_response_links, send_response_link
from matchmaker.questionnaire.queries import COMPLETENESS
from matchmaker.questionnaire.record import missing_recommended, response_to_record
from matchmaker.staff import visibility
from matchmaker.staff.access import staff_required
from matchmaker.vocabulary import COUNTRIES

PAGE_SIZE = 50
#: Names of the recommended fields, for the "missing" badge.
FIELD_LABELS = {
    "population": _l("Population"),
    "region": _l("Region or province"),
    "sectors": _l("Sectors of excellence"),
    "partner_levels": _l("Levels of partner sought"),
    "cooperation_kinds": _l("Kinds of cooperation"),
    "description": _l("Presentation"),
}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
}


def _filters() -> dict[str, str]:
    args = request.args
    found = {
        "country": args.get("country", "") if args.get("country") in COUNTRIES else "",
        "level": args.get("level", "") if args.get("level") in codes.level_codes() else "",
        "theme": args.get("theme", "") if args.get("theme") in codes.theme_codes() else "",
        "completeness": args.get("completeness", "") if args.get("completeness") in COMPLETENESS else "",
        "q": (args.get("q") or "").strip()[:100],
    }
    return found


@staff_required
def staff_responses():
    """Every response with filters by country, level, theme and completeness."""
    filters = _filters()
    listing = queries.response_page(filters, current_user.org, request.args.get("page", 1, type=int) or 1, PAGE_SIZE)
    items = []
    for response in listing.rows:
        record = response_to_record(response) if response.collectivite is not None else None
        draft_answers = (response.draft or {}).get("answers") or {}
        items.append(
            {
                "response": response,
                "name": (record or {}).get("name") or draft_answers.get("name") or _("(no name yet)"),
                "name_local": (record or {}).get("name_local") or draft_answers.get("name_local"),
                "missing": [str(FIELD_LABELS[name]) for name in missing_recommended(record)]
                if record and response.status == "submitted"
                else [],
                "has_draft": bool(response.draft),
            }
        )
    return render_template(
        "questionnaire/staff_list.html",
        items=items,
        filters=filters,
        total=listing.total,
        page=listing.page,
        pages=listing.pages,
        codes=codes,
        formats=FORMATS,
        lang=str(get_locale()),
    )


@staff_required
def staff_response(response_id: int):
    """One response: current answers, version history, private links."""
    response = queries.find_response(response_id)
    if response is None:
        abort(404)
    links = queries.edit_links(response.id)
    now = utcnow()
    live = [t for t in links if t.revoked_at is None and t.expires_at > now]
    org, country = current_user.org, visibility.response_country(response)
    visible = visibility.sees_response_contact(org, response)

    def shown(record):
        return visibility.redact(record, visible, country)

    record = response_to_record(response) if response.collectivite is not None else None
    versions = [(v, shown(v.answers)) for v in reversed(response.versions)]
    return render_template(
        "questionnaire/staff_detail.html",
        response=response,
        record=shown(record),
        links=links,
        live=live,
        versions=versions,
        codes=codes,
        now=now,
        contact_visible=visible,
        manages_links=visibility.manages_links(org, response),
        own_org=visibility.org_of_country(country),
        draft=shown((response.draft or {}).get("answers")),
        lang=str(get_locale()),
    )


def _own_response(response_id: int) -> Response:
    """A response whose private links the user's association manages (403 for the other association's)."""
    response = queries.find_response(response_id) or abort(404)
    if not visibility.manages_links(current_user.org, response):
        abort(403)
    return response


@staff_required
def staff_revoke_links(response_id: int):
    """Revoke every private link of a response (lost or forwarded link)."""
    response = _own_response(response_id)
    count = revoke_response_links(response.id)
    db.session.commit()
    flash(_("%(count)s private links revoked.", count=count), "success")
    return redirect(url_for("questionnaire.staff_response", response_id=response.id))


@staff_required
def staff_send_link(response_id: int):
    """Send a new private link to the response's contact, in the contact's language."""
    response = _own_response(response_id)
    if not response.contact_email:
        flash(_("This response has no contact email: no link can be sent."), "error")
    else:
        send_response_link(response, response.contact_email, response.language)
        db.session.commit()
        flash(_("A new private link will be emailed to %(email)s.", email=response.contact_email), "success")
    return redirect(url_for("questionnaire.staff_response", response_id=response.id))


@staff_required
def staff_export(fmt: str):
    """Download every submitted response (same fields as the import; contacts only where the rule allows)."""
    buffer = io.BytesIO()
    export_responses(fmt, buffer, org=current_user.org)
    stamp = utcnow().strftime("%Y%m%d")
    return HTTPResponse(
        buffer.getvalue(),
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="responses-{stamp}.{fmt}"'},
    )
