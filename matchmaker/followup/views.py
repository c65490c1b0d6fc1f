"""Pages of the first call: each side's private link (pick slots, propose others, download the invitation) and
the staff action adding a meeting link or an interpreter note. Views are thin: parse, one operation, commit."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.extensions import db, limiter
from matchmaker.followup import operations as ops
from matchmaker.followup.completeness import completeness, completeness_of
from matchmaker.followup.messages import followup_error_message
from matchmaker.followup.queries import find_survey_answer, follow_up_overview
from matchmaker.followup.slots import SIDE_ZONES
from matchmaker.followup.surveys import (
    SurveyError,
    answer_survey,
    confirm_survey_answer,
    open_survey_link,
    outcome_comparison,
    surveys_of,
)
from matchmaker.followup.times import ZONE_LABELS, local_time
from matchmaker.review import labels
from matchmaker.review.labels import local_name
from matchmaker.review.operations import ReviewError
from matchmaker.review.queries import find_suggestion
from matchmaker.security import private_page
from matchmaker.staff.access import staff_required
from matchmaker.tokens import TokenError

#: The area's blueprint: public pages under /call, staff actions under /staff/pairs.
bp = Blueprint("followup", __name__)


@bp.app_template_filter("call_time")
def call_time(moment: datetime, side: str, with_zone: bool = True) -> str:
    """Template filter: a call's start in the zone of ``side``, in the current language."""
    return local_time(moment, side, with_zone=with_zone)


@bp.app_context_processor
def _helpers():
    return {"first_call_for": ops.first_call_of}


def _unusable(reason: str):
    texts = {
        "expired": _("This link has expired. Cités Unies France or GAROK can help you arrange the call."),
        "revoked": _("This call is no longer being arranged through this link."),
        "unknown": _("This link is not valid. Please check that you copied the whole address."),
    }
    status = 404 if reason == "unknown" else 410
    page = render_template("review/answer/unusable.html", reason=reason, text=texts.get(reason, texts["unknown"]))
    return private_page(make_response(page, status))


def _page(token: str, access: ops.CallAccess, *, error: str | None = None, proposals=None, status: int = 200):
    lang = labels.current_language()
    me, partner = (
        (access.suggestion.fr, access.suggestion.kr)
        if access.side == "FR"
        else (access.suggestion.kr, access.suggestion.fr)
    )
    page = render_template(
        "followup/call.html",
        token=token,
        call=access.call,
        side=access.side,
        partner_side="KR" if access.side == "FR" else "FR",
        slots=ops.open_slots(access.call),
        own_name=local_name(me.name, me.name_local, lang),
        partner_name=local_name(partner.name, partner.name_local, lang),
        zone_label=ZONE_LABELS[access.side],
        max_proposals=ops.MAX_PROPOSALS,
        error=error,
        proposals=proposals,
    )
    return private_page(make_response(page, status))


@bp.get("/call/<token>")
def call(token: str):
    """The proposed times of the first call, in the side's own time and the partner's."""
    try:
        access = ops.open_call_link(token)
    except TokenError as exc:
        return _unusable(exc.reason)
    return _page(token, access)


def _parse_proposals(values: list[str], side: str) -> list[datetime]:
    """``YYYY-MM-DDTHH:MM`` values in the side's zone → aware datetimes; a time that does not exist there is refused."""
    from datetime import timezone

    zone = SIDE_ZONES[side]
    out = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            naive = datetime.strptime(value[:16], "%Y-%m-%dT%H:%M")
        except ValueError:
            raise ops.FollowupError("bad_time") from None
        local = naive.replace(tzinfo=zone)
        if local.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
            raise ops.FollowupError("bad_time")  # skipped by a clock change (e.g. 02:30 on the March night in Paris)
        out.append(local)
    return out


@bp.post("/call/<token>")
@limiter.limit("20 per minute")
def call_post(token: str):
    """Record the times this side can do and the ones it proposes."""
    raw_proposals = request.form.getlist("proposal")[: ops.MAX_PROPOSALS + 1]
    try:
        access = ops.open_call_link(token)
    except TokenError as exc:
        return _unusable(exc.reason)
    try:
        accepted = {int(v) for v in request.form.getlist("slot") if v.isdigit()}
        proposals = _parse_proposals(raw_proposals, access.side)
        access = ops.choose_slots(token, accepted, proposals)
        db.session.commit()
    except TokenError as exc:
        db.session.rollback()
        return _unusable(exc.reason)
    except ops.FollowupError as exc:
        db.session.rollback()
        access = ops.open_call_link(token)
        return _page(token, access, error=followup_error_message(exc), proposals=raw_proposals, status=400)
    lang = labels.current_language()
    partner = access.suggestion.kr if access.side == "FR" else access.suggestion.fr
    page = render_template(
        "followup/call_done.html",
        token=token,
        call=access.call,
        side=access.side,
        partner_name=local_name(partner.name, partner.name_local, lang),
    )
    return private_page(make_response(page))


@bp.get("/call/<token>/invitation.ics")
def invitation(token: str):
    """The calendar invitation of a confirmed call."""
    try:
        access = ops.open_call_link(token)
    except TokenError as exc:
        return _unusable(exc.reason)
    if access.call.state != "confirmed":
        return _unusable("revoked")
    filename, content_type, text = ops.invitation_for(
        access.call, access.suggestion, access.side, labels.current_language()
    )
    response = make_response(text)
    response.headers["Content-Type"] = f"{content_type}; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return private_page(response)


@bp.post("/staff/pairs/<int(min=1, max=2147483647):suggestion_id>/call")
@staff_required
def staff_call(suggestion_id: int):
    """Staff add the video-meeting link or an interpreter note to a pair's first call."""
    suggestion = find_suggestion(suggestion_id)
    if suggestion is None:
        return make_response(render_template("review/answer/unusable.html", text=_("This pair does not exist.")), 404)
    try:
        ops.set_call_details(
            suggestion, current_user, request.form.get("meeting_link"), request.form.get("interpreter_note")
        )
        db.session.commit()
        flash(_("The call details are saved."), "success")
    except ops.FollowupError as exc:
        db.session.rollback()
        flash(followup_error_message(exc), "error")
    return redirect(url_for("review.pair", suggestion_id=suggestion_id) + "#first-call")


@bp.get("/staff/follow-up")
@staff_required
def staff_followup():
    """What needs watching after introductions: introductions about to expire, first calls being arranged."""
    return render_template("followup/staff.html", overview=follow_up_overview(), labels=labels)


# --- surveys ------------------------------------------------------------------------------------------------


def _survey_labels():
    from flask_babel import lazy_gettext as _l

    answers = {
        "no_contact": _l("No contact yet"),
        "met": _l("We met (in person or by video)"),
        "letter_of_intent": _l("We signed a letter of intent"),
        "agreement": _l("We signed an agreement"),
        "stopped": _l("We stopped"),
    }
    reasons = {
        "no_reply": _l("The other side stopped answering"),
        "priorities_changed": _l("Our priorities changed"),
        "not_a_fit": _l("The partnership was not a good fit"),
        "language": _l("Language or distance was too hard"),
        "other": _l("Another reason"),
    }
    return answers, reasons


@bp.app_context_processor
def _survey_helpers():
    answers, reasons = _survey_labels()
    return {
        "surveys_for": surveys_of,
        "survey_answer_labels": answers,
        "survey_reason_labels": reasons,
        "self_reported_outcomes": outcome_comparison,
    }


def _survey_page(token: str, access, *, error: str | None = None, status: int = 200):
    lang = labels.current_language()
    me, partner = (
        (access.suggestion.fr, access.suggestion.kr)
        if access.side == "FR"
        else (access.suggestion.kr, access.suggestion.fr)
    )
    answers, reasons = _survey_labels()
    page = render_template(
        "followup/survey.html",
        token=token,
        months=access.survey.wave,
        error=error,
        own_name=local_name(me.name, me.name_local, lang),
        partner_name=local_name(partner.name, partner.name_local, lang),
        answers=answers,
        reasons=reasons,
        form=request.form,
    )
    return private_page(make_response(page, status))


def _survey_unusable(reason: str):
    texts = {
        "used": _("This survey has already been answered through this link. Thank you."),
        "expired": _("This survey link has expired. You can still tell Cités Unies France or GAROK what came of it."),
        "revoked": _("This survey is closed."),
        "unknown": _("This link is not valid. Please check that you copied the whole address."),
    }
    status = 404 if reason == "unknown" else 410
    page = render_template("review/answer/unusable.html", reason=reason, text=texts.get(reason, texts["unknown"]))
    return private_page(make_response(page, status))


@bp.get("/survey/<token>")
def survey(token: str):
    """The one question: what came of the partnership."""
    try:
        access = open_survey_link(token)
    except TokenError as exc:
        return _survey_unusable(exc.reason)
    return _survey_page(token, access)


@bp.post("/survey/<token>")
@limiter.limit("20 per minute")
def survey_post(token: str):
    """Record the answer (once) and thank the collectivité."""
    try:
        access = open_survey_link(token)
    except TokenError as exc:
        return _survey_unusable(exc.reason)
    try:
        answer_survey(token, request.form.get("answer", ""), request.form.get("note"), request.form.get("stop_reason"))
        db.session.commit()
    except TokenError as exc:
        db.session.rollback()
        return _survey_unusable(exc.reason)
    except SurveyError as exc:
        db.session.rollback()
        messages = {
            "bad_answer": _("Please choose one answer."),
            "reason_needed": _("Please tell us why you stopped."),
            "note_too_long": _("The note is too long (%(max)s characters at most).", max=2000),
        }
        return _survey_page(token, access, error=messages.get(exc.reason, messages["bad_answer"]), status=400)
    return private_page(make_response(render_template("followup/survey_done.html")))


@bp.post("/staff/surveys/<int(min=1, max=2147483647):survey_id>/confirm")
@staff_required
def staff_confirm_survey(survey_id: int):
    """Staff confirm a self-reported answer as the pair's outcome."""
    found = find_survey_answer(survey_id)
    if found is None:
        return make_response(render_template("review/answer/unusable.html", text=_("This survey does not exist.")), 404)
    suggestion_id = found.suggestion_id
    try:
        confirm_survey_answer(survey_id, current_user)
        db.session.commit()
        flash(_("The answer is recorded as the pair's outcome."), "success")
    except (SurveyError, ReviewError):
        db.session.rollback()
        flash(_("This answer cannot be recorded as an outcome."), "error")
    return redirect(url_for("review.pair", suggestion_id=suggestion_id) + "#surveys")


@bp.app_context_processor
def _completeness_helpers():
    return {"profile_completeness": completeness, "response_completeness": completeness_of}
