"""Pages of outreach: the campaigns of the staff member's association, one campaign with the state of each
invitation and its response rate, and the public invitation link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.extensions import db, limiter
from matchmaker.models import Campaign
from matchmaker.models.collectivite import reader_name
from matchmaker.outreach import charts, maps, partnerships, queries
from matchmaker.outreach.booklet import booklet_entries, render_booklet_pdf
from matchmaker.outreach.operations import (
    InvitationLinkError,
    create_campaign,
    invitation_for_token,
    open_invitation,
    queue_invitations,
    send_due_reminders,
    token_id,
)
from matchmaker.outreach.panels import PanelError, fix_panel, propose_panel, recent_member_ids
from matchmaker.outreach.targets import Filters, TargetError, merge_targets, parse_csv, select_rows
from matchmaker.questionnaire import codes
from matchmaker.questionnaire.views import SESSION_KEY
from matchmaker.site.errors import render_error
from matchmaker.staff.access import staff_required
from matchmaker.vocabulary import COUNTRY_OF_ORG

#: The area's blueprint: the staff pages of campaigns, partnerships, seminars and the booklet; the invitation link.
bp = Blueprint("outreach", __name__)

MAX_CSV_BYTES = 2_000_000


def lang() -> str:
    """The language of the page being shown."""
    return str(get_locale() or "fr")


def _own_campaign(campaign_id: int) -> Campaign:
    """A campaign of the staff member's own association (another's is not found: it holds contact details)."""
    campaign = queries.find_campaign(campaign_id)
    if campaign is None or campaign.org != current_user.org:
        abort(404)
    return campaign


def _int_field(name: str, errors: dict, low: int, high: int) -> int | None:
    raw = (request.form.get(name) or "").replace(" ", "").replace("\u202f", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors[name] = _("Enter a whole number between %(low)s and %(high)s.", low=low, high=high)
        return None
    return int(raw)


def _read_form(country: str) -> tuple[dict, dict, list]:
    """The campaign form: values as typed, errors by field, and the targets it selects."""
    form = request.form
    values = {
        k: (form.get(k) or "").strip()[:200]
        for k in ("name", "level", "region", "min_population", "max_population", "reminder_after_days", "addresses")
    }
    values["addresses"] = (form.get("addresses") or "")[:MAX_CSV_BYTES]
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Give the campaign a name.")
    if values["level"] and values["level"] not in codes.level_codes(country):
        errors["level"] = _("Choose a level from the list.")
    filters = Filters(
        level=values["level"],
        region=values["region"],
        min_population=_int_field("min_population", errors, 0, 100_000_000),
        max_population=_int_field("max_population", errors, 0, 100_000_000),
    )
    reminder = _int_field("reminder_after_days", errors, 1, 90)
    values["reminder_days"] = reminder or 10
    upload = request.files.get("csv_file")
    text = values["addresses"]
    if upload is not None and upload.filename:
        data = upload.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            errors["csv_file"] = _("The file is too large (at most 2 MB).")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                errors["csv_file"] = _("Save the file as CSV in UTF-8 and try again.")
    listed = []
    if text.strip() and "csv_file" not in errors:
        try:
            listed = parse_csv(country, text)
        except TargetError as exc:
            errors["addresses"] = str(exc)
    rows = [] if filters.is_empty() else select_rows(country, filters)
    if not errors and not listed and not rows:
        errors["level"] = _(
            "Choose collectivités with the filters or a list of codes and addresses: nothing is selected."
        )
    return values, errors, merge_targets(country, rows, listed) if not errors else []


@bp.route("/staff/outreach/", methods=["GET", "POST"])
@staff_required
def campaigns():
    """The association's campaigns, and the form starting a new one."""
    country = COUNTRY_OF_ORG[current_user.org]
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values, errors, targets = _read_form(country)
        if not errors:
            campaign = create_campaign(
                current_user.org,
                values["name"],
                targets,
                user_id=current_user.id,
                reminder_after_days=values["reminder_days"],
            )
            report = queue_invitations(campaign)
            db.session.commit()
            flash(
                _(
                    "%(queued)s invitations are being sent; %(skipped)s collectivités have no "
                    "address, unsubscribed, bounced or already answered.",
                    queued=report.queued,
                    skipped=report.no_address + report.unsubscribed + report.bounced + report.answered,
                ),
                "success",
            )
            return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
        status = 422
    return render_template(
        "outreach/campaigns.html",
        items=queries.campaigns_of(current_user.org),
        values=values,
        errors=errors,
        levels=codes.choices("levels", lang(), country),
        country=country,
        codes=codes,
    ), status


@bp.get("/staff/outreach/<int:campaign_id>")
@staff_required
def campaign(campaign_id: int):
    """One campaign: each collectivité's state, the counts and the response rate over time."""
    campaign = _own_campaign(campaign_id)
    rows = queries.invitation_rows(campaign)
    counts = queries.summary(rows)
    series = queries.response_rate_series(campaign, rows)
    chart = charts.rate_chart(
        f"rate-{campaign.id}",
        _("Response rate over time"),
        _("Share of the invitations sent whose link was opened, and whose questionnaire was submitted, day by day."),
        [(day, (opened, submitted)) for day, opened, submitted in series],
        [_("Link opened"), _("Submitted")],
    )
    state_filter = request.args.get("state", "")
    shown = [r for r in rows if not state_filter or r.state == state_filter or state_filter in r.flags]
    return render_template(
        "outreach/campaign.html",
        campaign=campaign,
        rows=shown,
        counts=counts,
        chart=chart,
        series=series[-14:],
        state_filter=state_filter,
        states=queries.STATES,
        codes=codes,
    )


@bp.post("/staff/outreach/<int:campaign_id>/remind")
@staff_required
def remind(campaign_id: int):
    """Queue the reminders of this campaign that are due now."""
    campaign = _own_campaign(campaign_id)
    count = send_due_reminders(campaign_id=campaign.id)
    db.session.commit()
    flash(_("%(num)s reminders queued.", num=count) if count else _("No reminder is due now."), "success")
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))


def _private(response):
    """Pages of a private link are not cached (the address is the key)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<any(fr, ko, en):lang>/invitation/<token>", methods=["GET", "POST"], endpoint="open_invitation")
@limiter.limit("30 per minute", methods=["POST"])
def open_invitation_page(lang: str, token: str):
    """An invitation's private link. GET shows who is invited and a button (mail scanners open links: a GET
    records nothing); POST records the opening, creates or resumes the draft (identity filled in) and goes to it."""
    session["lang"] = lang
    try:
        invitation = invitation_for_token(token)
    except InvitationLinkError as exc:
        if exc.reason == "unknown":
            return _private(
                make_response(
                    render_error(404, _("This invitation link is not known. Check that you copied the whole address."))
                )
            )
        return _private(
            make_response(
                render_error(
                    410, _("This invitation link has expired. Ask Cités Unies France or GAROK staff for a new one.")
                )
            )
        )
    if request.method == "GET":
        name = reader_name(invitation.name, invitation.name_local, lang)
        return _private(
            make_response(
                render_template(
                    "outreach/invitation.html",
                    invitation=invitation,
                    name=name,
                    org=invitation.campaign.org,
                    started=invitation.response_id is not None,
                    codes=codes,
                )
            )
        )
    response, raw = open_invitation(invitation)
    db.session.commit()
    session[SESSION_KEY] = {"rid": response.id, "tid": token_id(raw), "link": raw}
    step = "review" if response.status == "submitted" else "identity"
    return _private(redirect(url_for("questionnaire.step", step=step)))


# --- known partnerships ---------------------------------------------------------------------------------------


def _partnership_filters() -> tuple[dict, int | None]:
    args = request.args
    year = args.get("year", "")
    filters = {
        "theme": args.get("theme", "") if args.get("theme") in codes.theme_codes() else "",
        "level": args.get("level", "") if args.get("level") in codes.level_codes() else "",
        "year": year if year.isdigit() and 1950 <= int(year) <= 2100 else "",
    }
    return filters, int(filters["year"]) if filters["year"] else None


def _partnerships_page(public: bool):
    filters, year = _partnership_filters()
    items = partnerships.filtered_partnerships(filters["theme"], filters["level"], year)
    lines = [
        maps.MapLine(
            (p.fr_level, p.fr_code),
            (p.kr_level, p.kr_code),
            f"{p.fr_name} — {p.kr_name_local or p.kr_name}" + (f" ({p.year})" if p.year else ""),
        )
        for p in items
    ]
    on_map = {
        p.id for p in items if maps.locate("FR", p.fr_level, p.fr_code) and maps.locate("KR", p.kr_level, p.kr_code)
    }
    drawing = maps.partnerships_map(
        "partnership-map",
        _("Map of known France–Korea partnerships"),
        _(
            "Metropolitan France on the left, South Korea on the right; a line joins the two "
            "partners of each partnership listed below."
        ),
        lines,
        {"FR": codes.country_label("FR"), "KR": codes.country_label("KR")},
    )
    years = sorted({p.year for p in partnerships.filtered_partnerships() if p.year})
    return render_template(
        "outreach/partnerships.html",
        items=items,
        map=drawing,
        on_map=on_map,
        filters=filters,
        years=years,
        public=public,
        published=partnerships.is_published(),
        codes=codes,
    )


@bp.get("/staff/partnerships")
@staff_required
def staff_partnerships():
    """Known partnerships (declared and imported) with filters and the map; publish or withdraw the public page."""
    return _partnerships_page(public=False)


@bp.post("/staff/partnerships")
@staff_required
def update_partnerships():
    """Publish or withdraw the public page, or record the partners declared in the questionnaires."""
    action = request.form.get("action")
    if action in ("publish", "withdraw"):
        partnerships.set_published(action == "publish", current_user.id)
        message = (
            _("The partnerships page is public.")
            if action == "publish"
            else _("The partnerships page is no longer public.")
        )
    elif action == "sync":
        count = partnerships.sync_declared_partnerships()
        message = _("%(num)s partnerships declared in the questionnaires were added.", num=count)
    else:
        abort(400)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("outreach.staff_partnerships"))


@bp.get("/partnerships")
def public_partnerships():
    """The public page of known partnerships (names, levels, years, sources: no contact details)."""
    if not partnerships.is_published():
        abort(404)
    return _partnerships_page(public=True)


# --- seminar panels -----------------------------------------------------------------------------------------------


@bp.route("/staff/panels", methods=["GET", "POST"])
@staff_required
def seminar_panels():
    """Propose a panel for a theme (GET ?theme=); staff adjust the four members and fix it (POST)."""
    theme = request.values.get("theme", "")
    theme = theme if theme in codes.theme_codes() else ""
    error, status = None, 200
    if request.method == "POST" and theme:
        chosen = [int(v) for v in request.form.getlist("member") if v.isdigit()][:8]
        try:
            panel = fix_panel(theme, chosen, user_id=current_user.id)
        except PanelError as exc:
            error, status = exc.code, 422
        else:
            db.session.commit()
            flash(_("The panel is fixed and its four members are invited by email."), "success")
            return redirect(url_for("outreach.seminar_panels", theme=theme, fixed=panel.id))
    proposal = propose_panel(theme) if theme else None
    recent, names = queries.recent_panels(10)
    return render_template(
        "outreach/panels.html",
        theme=theme,
        proposal=proposal,
        error=error,
        recent=recent,
        names=names,
        recent_ids=recent_member_ids(),
        codes=codes,
    ), status


# --- good-practice booklet ----------------------------------------------------------------------------------


def _booklet_theme() -> str | None:
    theme = request.args.get("theme", "")
    return theme if theme in codes.theme_codes() else None


@bp.get("/staff/booklet")
@staff_required
def booklet():
    """The good-practice booklet for a theme (or all), printable, with FR and KO headings."""
    theme = _booklet_theme()
    return render_template("outreach/booklet.html", theme=theme, entries=booklet_entries(theme), codes=codes)


@bp.get("/staff/booklet.pdf")
@staff_required
def booklet_pdf():
    """The booklet as a PDF download."""
    theme = _booklet_theme()
    pdf = render_booklet_pdf(theme, booklet_entries(theme))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="booklet-{theme or "all"}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
