"""Every page of the application, as a user reaches it, over one realistic data set: the catalogue shared by the
accessibility check (axe-core in Chromium) and the security checks (headers, CSP, escaping) of every page.

The data set (:func:`build_world`) holds the demo responses and their suggestions, staff accounts reading in
French, Korean and English, pairs in every state (decisions, notes, introductions, answers, outcomes), private
links that are live, used, expired or revoked, outbox rows in every status and messages captured by the
embedded mail sink. It also holds a hostile response (markup, template syntax and Korean in its name,
presentation, contact name and notes), submitted through the questionnaire like any other, so every page that
shows a response shows it.

A :class:`Visit` is one page as a user sees it: a GET, optionally followed by submitting the page's form (the
page after answering, the login error...). Two drivers play the visits: :class:`BrowserDriver` (Playwright) and
:class:`ClientDriver` (Flask's test client with a small form reader). ``EXCLUDED`` lists the GET routes that are
not pages, with the reason; ``tests/a11y/test_axe.py`` fails when a GET route is in neither list.
"""

from __future__ import annotations

import contextlib
import mailbox
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from matchmaker.clock import today

LANGS = ("fr", "ko", "en")
PASSWORD = "correct-horse-battery-staple"

#: Text that must only ever appear as text: markup, an attribute break-out, template syntax, Korean.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
HOSTILE = {
    "name": f"{SCRIPT} 해운대구 {TEMPLATE}",
    "name_local": f"{IMG} 해운대",
    "contact_name": f"{IMG} 김{TEMPLATE}",
    "contact_role": SCRIPT,
    "description": f"{SCRIPT}\n{IMG}\n{TEMPLATE} 해운대구는 부산의 해양 관광 도시입니다.",
    "note": f"{SCRIPT} {IMG} {TEMPLATE} 메모",
}
#: A French collectivité answering after the last matching run: listed on the dashboard as without suggestion.
HOSTILE_LONELY = f"{SCRIPT} Lonely {IMG}"

#: GET routes that are not pages a person reads, and why.
EXCLUDED = {
    "static": "CSS and JavaScript files, not pages",
    "site.healthz": "JSON health check for load balancers",
    "site.favicon": "the site's icon, an image",
    "staff.workspace": "redirects to review.pairs (checked), through the login page (checked) when logged out",
    "site.set_language": "redirects back to the page the user came from (each page is checked in each language)",
    "questionnaire.start_in": "redirects to questionnaire.start (checked) after remembering the language",
    "questionnaire.reference_search": "JSON autocomplete endpoint (questionnaire.js)",
    "questionnaire.staff_export": "file download (CSV, XLSX, JSON Lines)",
    "review.export_pairs": "file download (CSV, XLSX)",
    "review.export_outcomes": "file download (CSV, XLSX)",
    "followup.invitation": "calendar file download (.ics) of a confirmed first call",
    "outreach.booklet_pdf": "file download (PDF of the booklet, whose page outreach.booklet is checked)",
}


@dataclass
class World:
    """Identifiers and raw private links of the data set, for building the visits' addresses."""

    staff: dict[str, str] = field(default_factory=dict)  # language -> email of a staff user reading in it
    reviewer: str = ""  # a CUF reviewer who is not an admin
    rich_pair: int = 0
    open_pair: int = 0
    hostile_pair: int = 0
    answer: dict[str, str] = field(default_factory=dict)  # language -> live answer link (one per introduced pair)
    answer_expired: str = ""
    answer_revoked: str = ""
    answer_hostile: str = ""  # the French side's link of the hostile response's pair: shows its presentation
    edit_live: str = ""
    edit_hostile: str = ""
    edit_expired: str = ""
    edit_revoked: str = ""
    unsubscribe: str = ""
    response_id: int = 0
    kr_response_id: int = 0  # a Korean demo response, whose links GAROK staff manage
    hostile_response: int = 0
    hostile_collectivite: int = 0
    draft_response: int = 0
    captured_key: str = ""
    mutual_pair: int = 0  # both sides interested: a first call proposed, surveys sent (one answered)
    call_link: str = ""  # the French side's first-call link
    call_slot: int = 0  # the first proposed slot of that call
    survey_link: str = ""  # the French side's unanswered survey link
    survey_answered: int = 0  # the Korean side's answered survey (id)
    campaign: dict[str, int] = field(default_factory=dict)  # org -> a campaign of that association
    invitation: str = ""  # a live invitation link token
    #: A captured message each association may read (the French side's introduction for CUF, the hostile Korean
    #: contact's mail for GAROK): contacts of the other side's collectivités are hidden before mutual interest.
    captured_keys: dict = field(default_factory=dict)

    def captured_for(self, lang: str) -> str:
        """The captured message the staff user reading in ``lang`` may open (French: CUF; Korean, English: GAROK)."""
        return self.captured_keys["CUF" if lang == "fr" else "GAROK"]


@dataclass(frozen=True)
class Submit:
    """Submit the page's form: ``button`` is the (name, value) of the button to press (None: the form's first
    button); ``fields`` are typed into the form first; ``form`` picks the form by its action."""

    button: tuple[str, str] | None = None
    fields: tuple[tuple[str, str], ...] = ()
    form: str | None = None  # a part of the form's action, when the page has several forms


@dataclass(frozen=True)
class Visit:
    """One page as a user reaches it."""

    name: str
    endpoint: str | None  # the route serving the GET (None: no route, the 404 page)
    path: Callable[[World, str], str]
    staff: bool = False
    status: int = 200  # of the page finally shown
    submit: Submit | None = None
    axe_langs: tuple[str, ...] = LANGS  # tests/questionnaire/test_accessibility.py checks its own pages in fr and ko
    shows_hostile: bool = False  # the page displays the hostile response's texts
    in_reader_language: bool = True  # False: the page is an email, in its recipient's language
    sandboxed: bool = False  # served with a CSP sandbox that stops every script, axe-core's too


def _p(path: str) -> Callable[[World, str], str]:
    return lambda world, lang: path


QUESTIONNAIRE_ELSEWHERE = ("en",)

PUBLIC: tuple[Visit, ...] = (
    Visit("home", "site.index", _p("/")),
    Visit("privacy", "site.privacy", _p("/privacy")),
    Visit("staff login", "staff.login", _p("/staff/login")),
    Visit(
        "staff login, wrong password",
        "staff.login",
        _p("/staff/login"),
        status=401,
        submit=Submit(fields=(("email", "nobody@example.org"), ("password", "wrong password"))),
    ),
    Visit("404 page", None, _p("/no-such-page"), status=404),
    Visit(
        "unknown private link (404)",
        "questionnaire.open_link",
        lambda w, lang: f"/{lang}/r/NoSuchLink0123456789",
        status=404,
    ),
    Visit(
        "expired private link (410)",
        "questionnaire.open_link",
        lambda w, lang: f"/{lang}/r/{w.edit_expired}",
        status=410,
    ),
    Visit(
        "revoked private link (410)",
        "questionnaire.open_link",
        lambda w, lang: f"/{lang}/r/{w.edit_revoked}",
        status=410,
    ),
    Visit("answer link: interested?", "review.answer", lambda w, lang: f"/answer/{w.answer[lang]}?choice=interested"),
    Visit(
        "answer link: not interested?",
        "review.answer",
        lambda w, lang: f"/answer/{w.answer[lang]}?choice=not_interested",
    ),
    Visit(
        "answer given",
        "review.answer",
        lambda w, lang: f"/answer/{w.answer[lang]}?choice=interested",
        submit=Submit(button=("choice", "interested")),
    ),
    Visit("answer link already used", "review.answer", lambda w, lang: f"/answer/{w.answer[lang]}", status=410),
    Visit("answer link expired", "review.answer", lambda w, lang: f"/answer/{w.answer_expired}", status=410),
    Visit("answer link revoked", "review.answer", lambda w, lang: f"/answer/{w.answer_revoked}", status=410),
    Visit("answer link unknown", "review.answer", _p("/answer/NoSuchLink0123456789"), status=404),
    Visit(
        "answer link: the partner's presentation",
        "review.answer",
        lambda w, lang: f"/answer/{w.answer_hostile}",
        shows_hostile=True,
    ),
    Visit("first call: choose times", "followup.call", lambda w, lang: f"/call/{w.call_link}?lang={lang}"),
    Visit("first call: unknown link", "followup.call", _p("/call/NoSuchLink0123456789"), status=404),
    Visit("survey: what came of it?", "followup.survey", lambda w, lang: f"/survey/{w.survey_link}?lang={lang}"),
    Visit("survey: unknown link", "followup.survey", _p("/survey/NoSuchLink0123456789"), status=404),
    Visit("unsubscribe: confirm", "mail.unsubscribe", lambda w, lang: f"/unsubscribe/{w.unsubscribe}"),
    Visit("unsubscribe: done", "mail.unsubscribe", lambda w, lang: f"/unsubscribe/{w.unsubscribe}", submit=Submit()),
    Visit("unsubscribe: already unsubscribed", "mail.unsubscribe", lambda w, lang: f"/unsubscribe/{w.unsubscribe}"),
    Visit(
        "unsubscribe: subscribed again",
        "mail.unsubscribe",
        lambda w, lang: f"/unsubscribe/{w.unsubscribe}",
        submit=Submit(),
    ),
    Visit("unsubscribe: forged link", "mail.unsubscribe", _p("/unsubscribe/forged.link"), status=404),
    Visit(
        "still accurate: confirm",
        "mail.confirm_accuracy",
        lambda w, lang: f"/still-accurate/{w.edit_hostile}",
        shows_hostile=True,
    ),
    Visit(
        "still accurate: done",
        "mail.confirm_accuracy",
        lambda w, lang: f"/still-accurate/{w.edit_hostile}",
        submit=Submit(),
        shows_hostile=True,
    ),
    Visit("invitation link", "outreach.open_invitation", lambda w, lang: f"/{lang}/invitation/{w.invitation}"),
    Visit(
        "invitation link: identity filled in",
        "outreach.open_invitation",
        lambda w, lang: f"/{lang}/invitation/{w.invitation}",
        axe_langs=QUESTIONNAIRE_ELSEWHERE,
        submit=Submit(),
    ),
    Visit("known partnerships, public page", "outreach.public_partnerships", _p("/partnerships")),
    Visit(
        "invitation link unknown",
        "outreach.open_invitation",
        lambda w, lang: f"/{lang}/invitation/NoSuchLink0123",
        status=404,
    ),
    Visit(
        "still accurate: expired link",
        "mail.confirm_accuracy",
        lambda w, lang: f"/still-accurate/{w.edit_expired}",
        status=410,
    ),
    # The questionnaire's own pages (French and Korean are checked by tests/questionnaire/test_accessibility.py).
    Visit("questionnaire start", "questionnaire.start", _p("/questionnaire/"), axe_langs=QUESTIONNAIRE_ELSEWHERE),
    Visit(
        "questionnaire identity, empty",
        "questionnaire.step",
        _p("/questionnaire/identity"),
        axe_langs=QUESTIONNAIRE_ELSEWHERE,
    ),
    Visit(
        "private link: answers to review",
        "questionnaire.open_link",
        lambda w, lang: f"/{lang}/r/{w.edit_hostile}",
        axe_langs=QUESTIONNAIRE_ELSEWHERE,
        shows_hostile=True,
    ),
    *(
        Visit(
            f"questionnaire {step}, filled",
            "questionnaire.step",
            _p(f"/questionnaire/{step}"),
            axe_langs=QUESTIONNAIRE_ELSEWHERE,
            shows_hostile=step in ("identity", "contact", "presentation"),
        )
        for step in ("identity", "contact", "themes", "partners", "presentation")
    ),
    Visit(
        "questionnaire done",
        "questionnaire.done",
        _p("/questionnaire/done"),
        axe_langs=QUESTIONNAIRE_ELSEWHERE,
        shows_hostile=True,
    ),
    Visit("delete our answers: confirmation", "questionnaire.delete", _p("/questionnaire/delete"), shows_hostile=True),
)

STAFF: tuple[Visit, ...] = (
    Visit("pairs", "review.pairs", _p("/staff/pairs"), staff=True),
    Visit(
        "pairs of one local government",
        "review.pairs",
        lambda w, lang: f"/staff/pairs?collectivite={w.hostile_collectivite}",
        staff=True,
        shows_hostile=True,
    ),
    Visit(
        "pairs, filtered",
        "review.pairs",
        _p("/staff/pairs?state=introduced&theme=smart_city&min_score=1&sort=fr_name&direction=asc&awaiting="),
        staff=True,
    ),
    Visit("pairs, no result", "review.pairs", _p("/staff/pairs?q=zzzz-no-such-name&fr_level=commune"), staff=True),
    Visit(
        "pair with decisions, introduction, notes and outcome",
        "review.pair",
        lambda w, lang: f"/staff/pairs/{w.rich_pair}",
        staff=True,
    ),
    Visit(
        "pair, note added (message)",
        "review.pair",
        lambda w, lang: f"/staff/pairs/{w.rich_pair}",
        staff=True,
        submit=Submit(form="/notes", fields=(("text", "Compte rendu envoyé aux deux équipes."),)),
    ),
    Visit("pair awaiting decisions", "review.pair", lambda w, lang: f"/staff/pairs/{w.open_pair}", staff=True),
    Visit(
        "pair of the hostile response",
        "review.pair",
        lambda w, lang: f"/staff/pairs/{w.hostile_pair}",
        staff=True,
        shows_hostile=True,
    ),
    Visit(
        "pair with a first call and surveys",
        "review.pair",
        lambda w, lang: f"/staff/pairs/{w.mutual_pair}",
        staff=True,
        shows_hostile=True,
    ),
    Visit("follow-up", "followup.staff_followup", _p("/staff/follow-up"), staff=True),
    Visit("dashboard", "review.dashboard", _p("/staff/dashboard"), staff=True, shows_hostile=True),
    Visit("weights", "suggestions.weights", _p("/staff/weights"), staff=True),
    Visit(
        "weights preview",
        "suggestions.weights",
        _p("/staff/weights"),
        staff=True,
        submit=Submit(button=("action", "preview")),
    ),
    Visit(
        "weights learned from decisions",
        "suggestions.weights",
        _p("/staff/weights"),
        staff=True,
        submit=Submit(button=("action", "learn")),
    ),
    Visit("responses", "questionnaire.staff_responses", _p("/staff/responses"), staff=True, shows_hostile=True),
    Visit(
        "responses, filtered",
        "questionnaire.staff_responses",
        _p("/staff/responses?country=KR&completeness=submitted"),
        staff=True,
        shows_hostile=True,
    ),
    Visit(
        "responses, no result", "questionnaire.staff_responses", _p("/staff/responses?q=zzzz-no-such-name"), staff=True
    ),
    Visit(
        "response detail",
        "questionnaire.staff_response",
        lambda w, lang: f"/staff/responses/{w.hostile_response}",
        staff=True,
        shows_hostile=True,
    ),
    Visit(
        "response detail, demo",
        "questionnaire.staff_response",
        lambda w, lang: f"/staff/responses/{w.response_id}",
        staff=True,
    ),
    Visit(
        "draft response detail",
        "questionnaire.staff_response",
        lambda w, lang: f"/staff/responses/{w.draft_response}",
        staff=True,
    ),
    Visit(
        "response detail, new link sent (message)",
        "questionnaire.staff_response",
        lambda w, lang: f"/staff/responses/{w.response_id if lang == 'fr' else w.kr_response_id}",
        staff=True,
        submit=Submit(form="/send-link"),
    ),
    Visit("emails", "mail.staff_outbox", _p("/staff/emails"), staff=True, shows_hostile=True),
    Visit("emails, failed", "mail.staff_outbox", _p("/staff/emails?status=failed"), staff=True),
    Visit(
        "emails, one sent again (message)",
        "mail.staff_outbox",
        _p("/staff/emails?status=failed"),
        staff=True,
        submit=Submit(form="/retry"),
    ),
    Visit(
        "captured email",
        "mail.captured_message",
        lambda w, lang: f"/staff/emails/captured/{w.captured_for(lang)}",
        staff=True,
        shows_hostile=True,
    ),
    Visit(
        "captured email, HTML part",
        "mail.captured_html",
        lambda w, lang: f"/staff/emails/captured/{w.captured_for(lang)}/html",
        staff=True,
        shows_hostile=True,
        in_reader_language=False,
        sandboxed=True,
    ),
    Visit("invitation campaigns", "outreach.campaigns", _p("/staff/outreach/"), staff=True, shows_hostile=True),
    Visit(
        "invitation campaigns, nothing chosen (errors)",
        "outreach.campaigns",
        _p("/staff/outreach/"),
        staff=True,
        status=422,
        submit=Submit(fields=(("name", "Test"), ("min_population", "many")), form="/staff/outreach/"),
    ),
    Visit(
        "invitation campaign",
        "outreach.campaign",
        lambda w, lang: f"/staff/outreach/{w.campaign['CUF' if lang == 'fr' else 'GAROK']}",
        staff=True,
        shows_hostile=True,
    ),
    Visit("known partnerships and their map", "outreach.staff_partnerships", _p("/staff/partnerships"), staff=True),
    Visit(
        "known partnerships, filtered",
        "outreach.staff_partnerships",
        _p("/staff/partnerships?theme=tourism&level=special_city"),
        staff=True,
    ),
    Visit("good-practice booklet", "outreach.booklet", _p("/staff/booklet"), staff=True, shows_hostile=True),
    Visit("good-practice booklet, one theme", "outreach.booklet", _p("/staff/booklet?theme=smart_city"), staff=True),
    Visit("seminar panels", "outreach.seminar_panels", _p("/staff/panels"), staff=True),
    Visit("seminar panel proposed", "outreach.seminar_panels", _p("/staff/panels?theme=smart_city"), staff=True),
    Visit(
        "seminar panel impossible (reasons)",
        "outreach.seminar_panels",
        _p("/staff/panels?theme=public_safety"),
        staff=True,
    ),
    Visit(
        "seminar panel fixed",
        "outreach.seminar_panels",  # one theme per language: a fixed panel's members rest
        lambda w, lang: (
            "/staff/panels?theme=" + {"fr": "tourism", "ko": "culture_heritage", "en": "climate_energy"}[lang]
        ),
        staff=True,
        submit=Submit(),
    ),
    Visit(
        "known partnerships, none matches",
        "outreach.staff_partnerships",
        _p("/staff/partnerships?year=1950"),
        staff=True,
    ),
    Visit(
        "invitation campaign, filtered",
        "outreach.campaign",
        lambda w, lang: f"/staff/outreach/{w.campaign['CUF' if lang == 'fr' else 'GAROK']}?state=invited",
        staff=True,
        shows_hostile=True,
    ),
)

#: A reviewer (not an admin) opening the weights: the 403 page.
FORBIDDEN = Visit(
    "403 page", "suggestions.weights", lambda w, lang: f"/staff/weights?lang={lang}", staff=True, status=403
)

VISITS = PUBLIC + STAFF + (FORBIDDEN,)


# --- the data set ---------------------------------------------------------------------------------------------


def _token_in(text: str, path: str) -> str:
    match = re.search(re.escape(path) + r"([A-Za-z0-9_\-]{20,})", text)
    assert match, f"no {path} link in the email"
    return match.group(1)


def build_world(app) -> World:
    """Fill the (empty) database with the data set; runs the real operations, as the service would."""
    from matchmaker.extensions import db
    from matchmaker.mail.recipients import REVIEWER_DIGEST, get_or_create_recipient, get_or_create_subscription
    from matchmaker.mail.sink import captured_mail_dir
    from matchmaker.mail.smtp import build_mail
    from matchmaker.mail.unsubscribe import unsubscribe_token
    from matchmaker.models import Collectivite, OutboxMessage, Response, Suggestion, utcnow
    from matchmaker.paths import DATA_DIR
    from matchmaker.questionnaire.operations import import_file, import_records, save_draft, send_response_link
    from matchmaker.review.operations import add_note, answer, decide, record_outcome
    from matchmaker.staff.operations import create_user
    from matchmaker.suggestions.operations import recompute_suggestions
    from matchmaker.tokens import issue_token, revoke_tokens
    from tests.questionnaire.conftest import fr_record, kr_record
    from tests.questionnaire.webflow import fill_questionnaire, link_token

    world = World()
    hostile = kr_record(
        name=HOSTILE["name"],
        name_local=HOSTILE["name_local"],
        code=None,
        region="Busan",
        level="gu",
        contact_name=HOSTILE["contact_name"],
        contact_role=HOSTILE["contact_role"],
        contact_email="intl@haeundae.example.kr",
        description=HOSTILE["description"],
        themes={"smart_city": {"priority": 3, "stance": "seek"}, "tourism": {"priority": 3, "stance": "offer"}},
    )
    # Through the questionnaire, as a respondent would (a browser without JavaScript).
    done = fill_questionnaire(app.test_client(), hostile)
    assert done.status_code == 302 and done.headers["Location"].endswith("/questionnaire/done"), done.status_code
    with app.app_context():
        import_file(DATA_DIR / "demo" / "responses.jsonl")
        users = {
            "fr": create_user("cuf.admin@cuf.example.org", PASSWORD, "CUF", "admin", "fr", name="Claire Martin"),
            "ko": create_user("garok.admin@garok.example.kr", PASSWORD, "GAROK", "admin", "ko", name="이수진"),
            "en": create_user("garok.english@garok.example.kr", PASSWORD, "GAROK", "admin", "en", name="Sam Lee"),
        }
        reviewer = create_user("cuf.reviewer@cuf.example.org", PASSWORD, "CUF", "reviewer", "fr")
        world.staff = {lang: user.email for lang, user in users.items()}
        world.reviewer = reviewer.email
        recompute_suggestions()
        db.session.commit()
        cuf, garok = users["fr"], users["ko"]

        hostile_response = db.session.scalar(
            select(Response).where(Response.contact_email == "intl@haeundae.example.kr")
        )
        world.hostile_response = hostile_response.id
        world.hostile_collectivite = hostile_response.collectivite_id
        world.edit_hostile = link_token(
            db.session.scalar(
                select(OutboxMessage.body_text).where(OutboxMessage.recipient == "intl@haeundae.example.kr")
            )
        )

        # Distinct collectivités for each pair, so no exposure cap holds an introduction back.
        used: set[int] = set()
        hostile_coll = hostile_response.collectivite_id

        def take(with_hostile: bool = False) -> Suggestion:
            for s in db.session.scalars(
                select(Suggestion)
                .where(Suggestion.is_current.is_(True))
                .order_by(Suggestion.score_total.desc(), Suggestion.id)
            ):
                if s.fr_id in used or s.kr_id in used or (s.kr_id == hostile_coll) != with_hostile:
                    continue
                used.update((s.fr_id, s.kr_id))
                return s
            raise AssertionError("not enough distinct suggested pairs in the demo data")

        def introduce(s: Suggestion) -> dict[str, str]:
            decide(s, cuf, "approve", "Profils très proches ; à présenter.")
            decide(s, garok, "approve")
            db.session.commit()
            mails = {
                side: db.session.scalar(
                    select(OutboxMessage.body_text).where(OutboxMessage.key == f"introduction:{s.id}:{side}")
                )
                for side in ("FR", "KR")
            }
            assert all(mails.values()), f"pair {s.id} was not introduced"
            return {side: _token_in(text, "/answer/") for side, text in mails.items()}

        hostile_pair = take(with_hostile=True)
        world.hostile_pair = hostile_pair.id
        links = introduce(hostile_pair)
        answer(links["KR"], "interested")
        world.answer_hostile = links["FR"]
        add_note(hostile_pair, garok, HOSTILE["note"])
        record_outcome(hostile_pair, garok, "meeting", today(), HOSTILE["note"])
        db.session.commit()

        rich = take()
        world.rich_pair = rich.id
        links = introduce(rich)
        answer(links["FR"], "interested")
        add_note(rich, cuf, "Premier échange prévu au salon des maires.")
        add_note(rich, garok, "담당자와 통화 완료.")
        record_outcome(rich, cuf, "meeting", today() - timedelta(days=3), "Visioconférence avec les deux équipes.")
        world.answer_expired = issue_token("answer", timedelta(seconds=-1), suggestion_id=rich.id, side="KR")
        db.session.commit()

        mutual = take()
        links = introduce(mutual)
        answer(links["FR"], "interested")
        answer(links["KR"], "interested")
        record_outcome(mutual, garok, "agreement", today(), "협약 체결")
        db.session.commit()

        # Both interested, no outcome yet: the first call is proposed; a month later both sides get the survey.
        from matchmaker.followup.surveys import answer_survey, send_due_surveys
        from matchmaker.models import FirstCall, SurveyAnswer

        followed = take()
        links = introduce(followed)
        answer(links["FR"], "interested")
        answer(links["KR"], "interested")
        db.session.commit()
        world.mutual_pair = followed.id
        world.call_link = _token_in(
            db.session.scalar(
                select(OutboxMessage.body_text)
                .where(OutboxMessage.key.like("call-proposal:%:FR:first"), OutboxMessage.body_text.like("%/call/%"))
                .order_by(OutboxMessage.id.desc())
            ),
            "/call/",
        )
        world.call_slot = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == followed.id)).slots[0].id
        send_due_surveys(now=utcnow() + timedelta(days=31))
        surveys = {
            side: _token_in(
                db.session.scalar(
                    select(OutboxMessage.body_text).where(OutboxMessage.key == f"survey:{followed.id}:{side}:1")
                ),
                "/survey/",
            )
            for side in ("FR", "KR")
        }
        world.survey_link = surveys["FR"]
        answer_survey(surveys["KR"], "stopped", HOSTILE["note"], "language")
        world.survey_answered = db.session.scalar(
            select(SurveyAnswer.id).where(SurveyAnswer.suggestion_id == followed.id, SurveyAnswer.side == "KR")
        )
        db.session.commit()

        declined = take()
        links = introduce(declined)
        answer(links["KR"], "not_interested")  # closes the pair and revokes the French side's link
        world.answer_revoked = links["FR"]
        db.session.commit()

        for lang in LANGS:
            world.answer[lang] = introduce(take())["FR"]

        world.open_pair = take().id
        decide(db.session.get(Suggestion, world.open_pair), garok, "approve", "좋은 후보입니다.")
        decide(take(), cuf, "reject", "Trop éloignés.")
        for n in range(4):  # with 8 approved pairs above, enough decisions to learn weights from them
            decide(
                take(), garok if n % 2 else cuf, "reject", "관심 분야가 다릅니다." if n % 2 else "Pas de thème commun."
            )
        db.session.commit()

        # Private edit links: live, expired, revoked.
        demo = db.session.scalar(select(Response).join(Collectivite).where(Collectivite.name == "Issy-les-Moulineaux"))
        world.response_id = demo.id
        world.edit_live = send_response_link(demo, demo.contact_email, "fr")
        world.edit_expired = issue_token("edit", timedelta(seconds=-1), response_id=demo.id)
        other = db.session.scalar(
            select(Response)
            .join(Collectivite)
            .where(Collectivite.country == "KR", Response.id != hostile_response.id)
            .order_by(Response.id)
        )
        world.kr_response_id = other.id
        world.edit_revoked = issue_token("edit", timedelta(days=30), response_id=other.id)
        revoke_tokens(response_id=other.id, purpose="edit")

        draft, _ = save_draft(
            {"name": "Communauté de communes du Pays de Test", "country": "FR", "contact_email": "draft@example.fr"},
            language="fr",
            step="contact",
        )
        world.draft_response = draft.id

        # Answering after the last matching run: no suggestion yet (the dashboard lists it).
        report = import_records(
            [
                fr_record(
                    name=HOSTILE_LONELY,
                    name_local=HOSTILE_LONELY,
                    code=None,
                    contact_email="lonely@example.fr",
                    existing_partners=[],
                )
            ],
            source="import",
        )
        assert report.imported == 1, report.summary()

        recipient = get_or_create_recipient(users["fr"].email)
        db.session.flush()
        world.unsubscribe = unsubscribe_token(get_or_create_subscription(recipient, REVIEWER_DIGEST))
        db.session.commit()

        # The outbox in every status; some messages delivered to the embedded sink's Maildir, as it stores them.
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        maildir = mailbox.Maildir(str(captured_mail_dir(app)), create=True)
        for row in rows:
            if row.recipient == "intl@haeundae.example.kr" or row.key.startswith(f"introduction:{hostile_pair.id}:"):
                key = maildir.add(mailbox.MaildirMessage(build_mail(row).as_bytes()))
                if row.recipient == "intl@haeundae.example.kr":
                    world.captured_keys.setdefault("GAROK", key)
                elif row.key.endswith(":FR"):
                    world.captured_keys["CUF"] = key
                row.status, row.sent_at, row.attempts = "sent", utcnow(), 1
        for row in rows[-6:-2]:  # one failed email per run of the pages (a staff user sends it again)
            row.status, row.attempts, row.last_error = "failed", 8, "recipient refused: 550 5.1.1 no such user"
        rows[-2].status, rows[-2].attempts = "ambiguous", 1
        rows[-2].last_error = "connection lost after the message was transmitted: it may have been delivered"
        db.session.commit()
        world.captured_key = next(iter(sorted(maildir.keys())))

        # Invitation campaigns of both associations (the name typed by staff is hostile), one link opened.
        from matchmaker.outreach.operations import create_campaign, invitation_token, queue_invitations
        from matchmaker.outreach.targets import parse_csv

        for org, country, listed in (
            ("CUF", "FR", "code,email\n35238,mairie@rennes.example.fr\n29019,\n"),
            ("GAROK", "KR", "code,email\n11530,intl@guro.example.kr\n26350,\n"),
        ):
            campaign = create_campaign(
                org,
                f"{HOSTILE['note']} {org}",
                parse_csv(country, listed),
                user_id=users["fr" if org == "CUF" else "ko"].id,
            )
            queue_invitations(campaign)
            db.session.flush()
            world.campaign[org] = campaign.id
            if org == "CUF":
                world.invitation = invitation_token(campaign.invitations[0])
        from matchmaker.outreach.partnerships import import_partnerships, set_published

        import_partnerships((DATA_DIR / "partnerships" / "known_fr_kr.csv").read_text(encoding="utf-8"))
        set_published(True)
        db.session.commit()
    return world


# --- playing the visits ---------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: action, method, the values they would post, and their submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action"),
                "method": (a.get("method") or "get").lower(),
                "values": [],
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                self._form["buttons"].append((a["name"], a.get("value") or ""))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form["values"].append([a["name"], a.get("value") or ""])
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form["buttons"].append((a.get("name"), a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            self._form["values"].append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None]
            self._form["values"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in a:
                self._select[1] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_post(html: str, page_path: str, submit: Submit) -> tuple[str, list[tuple[str, str]]]:
    """Where a page's form posts and what, after typing ``submit.fields`` and pressing ``submit.button``."""
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if f["method"] == "post" and f["action"] != "/staff/logout"]
    if submit.form:
        forms = [f for f in forms if submit.form in (f["action"] or "")]
    if submit.button:
        forms = [f for f in forms if tuple(submit.button) in f["buttons"]]
    assert forms, f"no form to submit on {page_path}"
    form = forms[0]
    typed = dict(submit.fields)
    data = [(name, typed.pop(name, value or "")) for name, value in form["values"]]
    data += list(typed.items())
    button = submit.button or (form["buttons"][0] if form["buttons"] else (None, ""))
    if button[0]:
        data.append(tuple(button))
    return urljoin(page_path, form["action"] or page_path), data


class ClientDriver:
    """Plays visits with Flask's test client (one client per language and audience)."""

    def __init__(self, app, world: World):
        self.app = app
        self.world = world

    def client(self, lang: str, staff: bool, email: str | None = None):
        """A client reading in ``lang``: a staff user of that language, or a member of the public."""
        client = self.app.test_client()
        if staff:
            page = client.get("/staff/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
            done = client.post(
                "/staff/login",
                data={"email": email or self.world.staff[lang], "password": PASSWORD, "csrf_token": token},
            )
            assert done.status_code == 302, done.status_code
        else:
            client.get(f"/language/{lang}")
        return client

    def get(self, client, visit: Visit, lang: str):
        """The page a visit opens (redirects followed)."""
        return client.get(visit.path(self.world, lang), follow_redirects=True)

    def submit(self, client, page, visit: Visit):
        """Submit the form of ``page`` as the visit says (redirects followed)."""
        shown = page.request.full_path if page.request.query_string else page.request.path
        action, data = form_post(page.get_data(as_text=True), shown, visit.submit)
        from werkzeug.datastructures import MultiDict

        return client.post(action, data=MultiDict(data), follow_redirects=True)

    def play(self, client, visit: Visit, lang: str):
        """The final response of a visit."""
        response = self.get(client, visit, lang)
        if visit.submit is not None:
            response = self.submit(client, response, visit)
        return response


class BrowserDriver:
    """Plays visits in a Playwright browser context on the live server."""

    def __init__(self, base_url: str, world: World):
        self.base = base_url
        self.world = world

    def login(self, page, email: str) -> None:
        """Log in through the login form."""
        page.goto(f"{self.base}/staff/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.locator("#password").press("Enter")
        assert urlsplit(page.url).path != "/staff/login", "login failed"

    def play(self, page, visit: Visit, lang: str) -> int:
        """Show the page of a visit; returns its HTTP status."""
        response = page.goto(self.base + visit.path(self.world, lang))
        if visit.submit is not None:
            form = (
                f'main form[method="post"][action*="{visit.submit.form}"]'
                if visit.submit.form
                else 'main form[method="post"]'
            )
            for name, value in visit.submit.fields:
                page.fill(f'{form} [name="{name}"]', value)
            if visit.submit.button:
                button = page.locator(
                    f'{form} button[name="{visit.submit.button[0]}"][value="{visit.submit.button[1]}"]'
                )
            else:
                button = page.locator(f'{form} button[type="submit"]').first
            with page.expect_navigation() as navigation:
                button.click()
            response = navigation.value
        page.wait_for_load_state("domcontentloaded")
        return response.status if response is not None else 0


def endpoint_of(app, path: str) -> str | None:
    """The endpoint a GET of ``path`` is routed to (None when no route matches)."""
    from werkzeug.exceptions import HTTPException

    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return None
    return endpoint


def get_page_endpoints(app) -> set[str]:
    """Endpoints of every route answering GET."""
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


# --- an app and a live server shared by a whole test module ----------------------------------------------------


@contextlib.contextmanager
def module_app(migrated, database_url, instance_path: Path, **overrides):
    """An app on the emptied test database with its own instance folder (the embedded mail sink's Maildir in it)."""
    import os

    from matchmaker.app import create_app
    from tests.conftest import _unused_port, empty_tables

    previous = os.environ.get("MATCHMAKER_INSTANCE_PATH")
    os.environ["MATCHMAKER_INSTANCE_PATH"] = str(instance_path)
    empty_tables(migrated)
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": _unused_port(),
        "MAIL_SINK": False,
        "SCHEDULER_EMBEDDED": False,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://localhost",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }
    app = create_app(config, environ={})
    try:
        yield app
    finally:
        with app.app_context():
            from matchmaker.extensions import db

            db.session.remove()
            db.engine.dispose()
        empty_tables(migrated)
        if previous is None:
            os.environ.pop("MATCHMAKER_INSTANCE_PATH", None)
        else:
            os.environ["MATCHMAKER_INSTANCE_PATH"] = previous
