"""Public pages of the questionnaire: the steps, autosave, autocomplete, private links, confirmation.

Views are thin: read the form, call an operation, commit, redirect. Form posts check the CSRF token
themselves so that an expired token re-shows the page with everything typed instead of an error page.
Access to a response comes only from this browser's session (which started the draft) or from a private
link; a response id never appears in a public URL.
"""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf

from matchmaker import reference, tokens
from matchmaker.dates import moment
from matchmaker.extensions import csrf, db, limiter
from matchmaker.models import Response
from matchmaker.questionnaire import codes, queries, staff_views
from matchmaker.questionnaire.forms import (
    STEP_BY_NAME,
    STEP_NAMES,
    STEPS,
    has_content,
    neighbours,
    read_step,
    step_errors,
    step_of,
)
from matchmaker.questionnaire.operations import (
    DuplicateCollectivite,
    claim_submission_key,
    confirm_submission,
    delete_response,
    known_response,
    save_draft,
    send_known_link,
    submit_response,
    token_is_live,
)
from matchmaker.questionnaire.record import record_to_answers, response_to_record
from matchmaker.questionnaire.validation import validate_record
from matchmaker.site.errors import render_error
from matchmaker.suggestions.operations import rescore_response
from matchmaker.vocabulary import COUNTRIES, LANGUAGES

log = logging.getLogger("matchmaker.questionnaire")

#: The area's blueprint: the public questionnaire, and the staff pages of the responses (:mod:`.staff_views`).
bp = Blueprint("questionnaire", __name__)
bp.add_url_rule("/staff/responses", view_func=staff_views.staff_responses, methods=["GET"])
bp.add_url_rule("/staff/responses/<int:response_id>", view_func=staff_views.staff_response, methods=["GET"])
bp.add_url_rule(
    "/staff/responses/<int:response_id>/revoke-links", view_func=staff_views.staff_revoke_links, methods=["POST"]
)
bp.add_url_rule("/staff/responses/<int:response_id>/send-link", view_func=staff_views.staff_send_link, methods=["POST"])
bp.add_url_rule(
    "/staff/responses/export.<any(csv, xlsx, jsonl):fmt>", view_func=staff_views.staff_export, methods=["GET"]
)

SESSION_KEY = "questionnaire"
LANG = "<any(fr, ko, en):lang>"
POST_LIMIT = "60 per minute; 600 per hour"
AUTOSAVE_LIMIT = "30 per minute; 1000 per hour"


class LinkGone(Exception):
    """The private link this browser used was revoked or expired."""


@bp.errorhandler(LinkGone)
def _link_gone(_exc):
    return render_error(
        410,
        _(
            "Your private link is no longer valid. Ask Cités Unies France or GAROK staff for "
            "a new link, or start a new questionnaire."
        ),
    )


def lang() -> str:
    """The language of the page being shown."""
    return str(get_locale() or "fr")


# --- who is answering -------------------------------------------------------------------------------------


def current_response() -> Response | None:
    """The response this browser may edit (from the session), or None; raises LinkGone for a dead link."""
    state = session.get(SESSION_KEY) or {}
    rid = state.get("rid")
    if not isinstance(rid, int):
        return None
    response = queries.find_response(rid)
    if response is None or response.anonymised_at is not None:
        session.pop(SESSION_KEY, None)
        return None
    tid = state.get("tid")
    if isinstance(tid, int) and not token_is_live(tid, rid):
        session.pop(SESSION_KEY, None)
        raise LinkGone()
    return response


def _remember(response: Response, raw_link: str | None = None) -> None:
    state = dict(session.get(SESSION_KEY) or {})
    state["rid"] = response.id
    if raw_link:
        state["tid"] = queries.link_token(raw_link).id
        state["link"] = raw_link
    session[SESSION_KEY] = state


def private_link() -> str | None:
    """The private link of this browser's response, when it has one to show."""
    raw = (session.get(SESSION_KEY) or {}).get("link")
    if not raw:
        return None
    return current_app.config["BASE_URL"] + url_for("questionnaire.open_link", lang=lang(), token=raw)


def answers_of(response: Response | None) -> dict:
    """What to show in the form: the draft if there is one, else the submitted answers."""
    if response is None:
        return {}
    if response.draft and response.draft.get("answers") is not None:
        return dict(response.draft["answers"])
    if response.status == "submitted":
        return record_to_answers(response_to_record(response))
    return {}


def _csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
    except ValidationError:
        return False
    return True


@bp.before_request
def _language_from_query():
    """``?lang=`` sets the language once, then the address is cleaned so the language switcher keeps working."""
    wanted = request.args.get("lang")
    if (
        request.method == "GET"
        and wanted in LANGUAGES
        and (request.endpoint or "").startswith("questionnaire.")
        and request.endpoint not in ("questionnaire.reference_search",)
    ):
        session["lang"] = wanted
        args = request.args.copy()
        args.pop("lang")
        return redirect(url_for(request.endpoint, **(request.view_args or {}), **args.to_dict()))
    return None


# --- pages ------------------------------------------------------------------------------------------------


@bp.get(f"/{LANG}/questionnaire/")
def start_in(lang: str):
    """Entry point with the language in the address (links, emails): remember it and go to the start page."""
    session["lang"] = lang
    return redirect(url_for("questionnaire.start"))


@bp.get("/questionnaire/")
def start():
    """What the questionnaire asks, how long it takes, what happens to the answers."""
    response = current_response()
    return render_template("questionnaire/start.html", response=response, steps=STEPS, link=private_link())


def _render_step(
    step: str,
    answers: dict,
    errors: dict | None = None,
    status: int = 200,
    notice: str | None = None,
    response: Response | None = None,
    known: Response | None = None,
):
    definition = STEP_BY_NAME[step]
    previous, following = neighbours(step)
    draft_state = (response.draft or {}) if response is not None else {}
    seen = set(draft_state.get("steps") or []) | {step}
    review = None
    if step == "review":
        clean, problems = validate_record(answers, lang())
        review = {"clean": clean, "problems": problems if errors is None else errors}
    country = (answers.get("country") or "").upper()
    saved_at = response.draft_saved_at if response is not None else None
    return render_template(
        "questionnaire/step.html",
        step=definition,
        steps=STEPS,
        step_names=STEP_NAMES,
        previous=previous,
        following=following,
        values=answers,
        errors=errors or {},
        notice=notice,
        seen=seen,
        codes=codes,
        country=country if country in COUNTRIES else None,
        review=review,
        link=private_link(),
        response=response,
        saved_at=moment(saved_at) if saved_at else None,
        step_of=step_of,
        levels={"FR": codes.choices("levels", lang(), "FR"), "KR": codes.choices("levels", lang(), "KR")},
        submission_key=secrets.token_urlsafe(24) if step == "review" else None,
        known=_known_name(known),
    ), status


def _known_name(known: Response | None) -> str | None:
    """The name, in the page's language, of a collectivité that has already answered."""
    if known is None or known.collectivite is None:
        return None
    c = known.collectivite
    return c.name_for(lang())


@bp.route(
    "/questionnaire/<any(identity, contact, themes, partners, presentation, review):step>", methods=["GET", "POST"]
)
@csrf.exempt
@limiter.limit(POST_LIMIT, methods=["POST"])
def step(step: str):
    """One step of the questionnaire: show it, or keep what was posted and move on."""
    response = current_response()
    if request.method == "GET":
        answers = answers_of(response)
        if not answers.get("language"):
            answers["language"] = lang()
        return _render_step(step, answers, response=response)

    posted = read_step(step, request.form) if step != "review" else {}
    answers = answers_of(response)
    answers.update(posted)
    if not _csrf_ok():
        # an expired or missing token: show the same page with what was typed, and a fresh token
        return _render_step(
            step,
            answers,
            status=400,
            response=response,
            notice=_(
                "Your session had expired, so nothing was saved yet. Everything you typed is "
                "still here: please submit again."
            ),
        )
    action = request.form.get("action", "next")
    goto = request.form.get("goto")

    if step != "review" and (response is not None or has_content(posted)):
        response, raw_link = save_draft(posted, response=response, language=lang(), step=step)
        db.session.commit()
        _remember(response, raw_link)

    if goto in STEP_NAMES:
        return redirect(url_for("questionnaire.step", step=goto))
    previous, following = neighbours(step)
    if action == "back" and previous:
        return redirect(url_for("questionnaire.step", step=previous))
    if action == "save":
        return _render_step(
            step, answers, response=response, notice=_("Saved. You can come back later with your private link.")
        )
    if step == "review":
        return _submit(response, answers)
    errors = step_errors(step, answers, lang())
    if errors:
        return _render_step(step, answers, errors, status=422, response=response)
    if step == "identity":
        known = known_response(answers, response, lang())
        if known is not None:  # say it now, not after six steps
            return _render_step(step, answers, response=response, known=known)
    return redirect(url_for("questionnaire.step", step=following))


@bp.post("/questionnaire/known-link")
@limiter.limit("5 per minute; 20 per hour")
def send_link_to_known():
    """Send a new private link to the contact on file of the collectivité chosen at step 1 (never shows the address)."""
    response = current_response()
    answers = answers_of(response)
    known = known_response(answers, response, lang())
    if known is None:
        return redirect(url_for("questionnaire.step", step="identity"))
    send_known_link(known)
    db.session.commit()
    return _render_step(
        "identity",
        answers,
        response=response,
        notice=_(
            "If %(name)s still has a contact on file, a private link to its answers is on its way to that address. "
            "You can also choose another local government.",
            name=_known_name(known),
        ),
    )


def _submit(response: Response | None, answers: dict):
    """Check the whole response and store it as a new version."""
    if response is None:
        return redirect(url_for("questionnaire.step", step="identity"))
    clean, errors = validate_record(answers, lang())
    if errors:
        return _render_step("review", answers, errors, status=422, response=response)
    key = (request.form.get("submission_key") or "")[:100]
    if key and not claim_submission_key(response, key):
        # the same form posted again (double click, reload, back button): the first post's result, nothing written
        db.session.rollback()
        return redirect(url_for("questionnaire.done"))
    version_before = response.version
    try:
        submit_response(clean, "web", response)
        db.session.flush()
    except DuplicateCollectivite:
        db.session.rollback()
        response = queries.find_response(response.id)
        return _render_step(
            "review", answers, status=409, response=response, known=known_response(answers, response, lang())
        )
    if response.version != version_before:
        confirm_submission(response)
    _rescore(response.id)
    db.session.commit()
    return redirect(url_for("questionnaire.done"))


def _rescore(response_id: int) -> None:
    """Suggest partners for the new answers at once; a failure here must not lose the submission."""
    try:
        with db.session.begin_nested():
            rescore_response(response_id)
    except Exception:  # the nightly full run will catch up; the response itself is safe
        log.exception("rescoring after submission failed", extra={"response_id": response_id})


@bp.get("/questionnaire/done")
def done():
    """Thank-you page: what was recorded, the private link, what happens next."""
    response = current_response()
    if response is None or response.status != "submitted":
        return redirect(url_for("questionnaire.start"))
    return render_template(
        "questionnaire/done.html",
        response=response,
        link=private_link(),
        record=response_to_record(response),
        codes=codes,
    )


@bp.post("/questionnaire/autosave")
@csrf.exempt
@limiter.limit(AUTOSAVE_LIMIT)
def autosave():
    """Keep the current step's answers while the person types (called by questionnaire.js)."""
    step = request.form.get("step")
    if step not in STEP_NAMES or step == "review":
        return jsonify(saved=False, error="unknown step"), 400
    if not _csrf_ok():
        return jsonify(
            saved=False, error=_("Your session has expired: submit the page to save it."), csrf_token=generate_csrf()
        ), 400
    response = current_response()
    posted = read_step(step, request.form)
    if response is None and not has_content(posted):
        return jsonify(saved=False)
    response, raw_link = save_draft(posted, response=response, language=lang(), step=step)
    db.session.commit()
    _remember(response, raw_link)
    saved = moment(response.draft_saved_at)
    return jsonify(
        saved=True, saved_date=saved["date"], saved_time=saved["time"], link=private_link() if raw_link else None
    )


@bp.get("/questionnaire/reference")
@limiter.limit("120 per minute")
def reference_search():
    """Autocomplete over the reference lists of French and Korean local governments (JSON)."""
    query = (request.args.get("q") or "")[:100]
    country = (request.args.get("country") or "").upper()
    rows = reference.search(query, country if country in COUNTRIES else None, limit=10)
    return jsonify(
        [
            {
                "name": row.name,
                "name_local": row.name_local,
                "country": row.country,
                "level": row.level,
                "level_label": codes.level_label(row.level, lang()),
                "code": row.code,
                "population": row.population,
                "region": (row.region_local if lang() == "ko" and row.region_local else row.region),
            }
            for row in rows
        ]
    )


@bp.get(f"/{LANG}/r/<token>")
def open_link(lang: str, token: str):
    """A private link: give this browser access to its response and show the answers."""
    session["lang"] = lang
    try:
        found = tokens.resolve_token(token, "edit")
    except tokens.TokenError as exc:
        if exc.reason == "unknown":
            return render_error(
                404,
                _(
                    "This private link is not known. Check that you copied the whole address, or "
                    "start a new questionnaire."
                ),
            )
        return render_error(
            410,
            _(
                "This private link has expired or was revoked. Ask Cités Unies France or GAROK "
                "staff for a new link, or start a new questionnaire."
            ),
        )
    if found.response_id is None:
        abort(404)
    session[SESSION_KEY] = {"rid": found.response_id, "tid": found.id, "link": token}
    return redirect(url_for("questionnaire.step", step=_resume_step(queries.find_response(found.response_id))))


def _resume_step(response: Response | None) -> str:
    """Where a private link takes the person back: the step of the draft they left, else their answers."""
    draft = (response.draft or {}) if response is not None else {}
    stopped = draft.get("step") if draft.get("answers") is not None else None
    if stopped not in STEP_NAMES:
        return "review"
    following = neighbours(stopped)[1]
    if following and not step_errors(stopped, draft["answers"], lang()):
        return following  # the last step saved was complete: they had moved on to the next one
    return stopped


def _deletable() -> Response | None:
    """The submitted response this browser reached through its private link (only a private link can delete)."""
    response = current_response()
    state = session.get(SESSION_KEY) or {}
    if response is None or response.status != "submitted" or not isinstance(state.get("tid"), int):
        return None
    return response


@bp.route("/questionnaire/delete", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def delete():
    """GET: what deleting does, and a button to confirm; POST: delete the answers reached through the private link."""
    response = _deletable()
    if response is None:
        return redirect(url_for("questionnaire.start"))
    name = response.collectivite.name_for(lang())
    if request.method == "POST":  # the CSRF token is checked before the view runs
        delete_response(response)
        db.session.commit()
        session.pop(SESSION_KEY, None)
        return render_template("questionnaire/delete.html", name=name, state="done")
    return render_template("questionnaire/delete.html", name=name, state="ask")


@bp.app_template_global()
def questionnaire_can_delete() -> bool:
    """Whether this browser may delete its response (templates show the link then)."""
    try:
        return _deletable() is not None
    except LinkGone:
        return False


@bp.post("/questionnaire/leave")
def leave():
    """Forget the response in this browser (a shared computer); the private link still works."""
    session.pop(SESSION_KEY, None)
    return redirect(url_for("questionnaire.start"))


@bp.app_template_global()
def questionnaire_languages():
    """The interface languages (for templates)."""
    return LANGUAGES
