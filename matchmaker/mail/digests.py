"""Building digests and reminders into the outbox, at a sensible local hour, never empty, once per period.

Run hourly (``jobs.schedule``) or by hand (``matchmaker digest build``). For each kind of digest, time zone and
frequency, the current week or month becomes due at 08:00 local time on its first day (Monday, or the 1st);
the first run after that builds the digests of that group and records a JobRun for (group, period), so the group
is built once per period, also when the scheduler was down at 08:00 (it is built on restart). The JobRun is a
claim with an owner and a short lease renewed after every email: a build that dies (SIGKILL, lost connection)
is taken over by the next run, which queues the digests still missing. Each email's unique key
(``review-digest:<recipient>:<period>``) makes a second builder harmless.

Reminders (one per unfinished draft, "is your response still accurate?" once a year and after local elections)
are keyed by response and are considered at every run, between 08:00 and 20:00 in the recipient's time zone.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from functools import partial
from typing import Callable

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import get_locale, gettext
from sqlalchemy import func, or_, select

from matchmaker.clock import utcnow
from matchmaker.database import retry_when_locked
from matchmaker.dates import long_date
from matchmaker.extensions import db
from matchmaker.followup.completeness import mark_reminded, reminders_due
from matchmaker.mail.outbox import enqueue_email
from matchmaker.mail.recipients import (
    PARTNER_DIGEST,
    REVIEWER_DIGEST,
    active_subscriptions,
    contactable_responses,
    normalise_email,
    sync_partner_recipients,
    sync_staff_recipients,
)
from matchmaker.mail.reminders import build_reminders
from matchmaker.mail.rendering import first_url, public_url_context
from matchmaker.mail.unsubscribe import list_unsubscribe_headers, unsubscribe_url
from matchmaker.models import (
    Collectivite,
    Introduction,
    JobRun,
    OutboxMessage,
    Response,
    StaffUser,
    Subscription,
    Suggestion,
)
from matchmaker.scheduling.periods import PARIS, SEOUL, due_period, local, period_start, previous_period_start
from matchmaker.scheduling.runs import ClaimLost, keep_alive, run_once
from matchmaker.tokens import issue_token

log = logging.getLogger("matchmaker.mail.digests")

DIGEST_HOUR = time(8, 0)
TOP_PAIRS = 10
LIST_LIMIT = 10
#: How long a group's claim lasts unless the build renews it (it does after every email): a build that dies on
#: another host is taken over this much later at the latest (at once on the same host or on PostgreSQL).
GROUP_LEASE = timedelta(minutes=3)
DIGEST_KINDS = {
    REVIEWER_DIGEST: ("reviewer-digest", "review-digest"),
    PARTNER_DIGEST: ("partner-digest", "partner-digest"),
}


@dataclass
class BuildReport:
    """What one build did (or would do, in a dry run)."""

    queued: list[dict] = field(default_factory=list)
    groups_built: list[str] = field(default_factory=list)
    groups_skipped: list[str] = field(default_factory=list)
    groups_elsewhere: list[str] = field(default_factory=list)  # being built by another live process
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain values, for logs and the job record."""
        return asdict(self)


class _Builder:
    """One build: the clock, dry-run or not, and the report."""

    def __init__(self, now: datetime, dry_run: bool):
        self.now, self.dry_run, self.report = now, dry_run, BuildReport()

    def each(self, label: str, build: Callable[[], OutboxMessage | None]) -> None:
        """Build one email in a savepoint: one recipient's bad data does not stop the others.

        In a real build each email is committed at once and the group's claim renewed, so a build that dies
        leaves what it queued, and the next run (which takes the group over) queues only the rest.
        """
        try:
            queued = retry_when_locked(lambda: self._one(build))
        except ClaimLost:
            raise
        except Exception as exc:  # logged and reported; the group is retried at the next run
            log.exception("email could not be built", extra={"what": label})
            self.report.errors.append(f"{label}: {exc.__class__.__name__}: {exc}")
            return
        if queued is not None:
            self.report.queued.append(queued)
        if not self.dry_run:
            retry_when_locked(keep_alive)

    def _one(self, build: Callable[[], OutboxMessage | None]) -> dict | None:
        with db.session.begin_nested():
            message = build()
            queued = (
                None if message is None else {"key": message.key, "to": message.recipient, "subject": message.subject}
            )
        if not self.dry_run:
            db.session.commit()
        return queued


def collectivite_name(coll: Collectivite, lang: str) -> str:
    """A collectivité's name for a reader of ``lang``: Hangul for Korean readers when known."""
    return coll.name_for(lang, with_original=True)


def period_label(frequency: str, now: datetime, tz: str) -> str:
    """ "week of 23 November 2026" or "November 2026", in the current (forced) locale."""
    start = period_start(local(now, tz).date(), frequency)
    if frequency == "weekly":
        return gettext("week of %(date)s", date=long_date(start))
    return format_skeleton("yMMMM", start, locale=get_locale())


def _last_sent(kind: str, email: str) -> datetime | None:
    """When the previous email of this kind was queued for this address."""
    return db.session.scalar(
        select(func.max(OutboxMessage.created_at)).where(OutboxMessage.kind == kind, OutboxMessage.recipient == email)
    )


# --- reviewers ------------------------------------------------------------------------------------------------


def reviewer_digest_content(user: StaffUser, since: datetime, lang: str) -> dict | None:
    """What a reviewer's digest says, or None when there is nothing to say."""
    decision = Suggestion.cuf_decision if user.org == "CUF" else Suggestion.garok_decision
    waiting_filter = (Suggestion.state == "suggested", Suggestion.is_current.is_(True), decision.is_(None))
    waiting_count = db.session.scalar(select(func.count()).select_from(Suggestion).where(*waiting_filter))
    waiting = db.session.scalars(
        select(Suggestion)
        .where(*waiting_filter)
        .order_by(Suggestion.score_total.desc(), Suggestion.id)
        .limit(TOP_PAIRS)
    ).all()
    new_filter = (Response.status == "submitted", Response.submitted_at > since, Response.collectivite_id.is_not(None))
    new_count = db.session.scalar(select(func.count()).select_from(Response).where(*new_filter))
    new_responses = db.session.execute(
        select(Response, Collectivite)
        .join(Collectivite, Response.collectivite_id == Collectivite.id)
        .where(*new_filter)
        .order_by(Response.submitted_at.desc())
        .limit(LIST_LIMIT)
    ).all()
    mutual = db.session.scalars(
        select(Suggestion)
        .join(Introduction, Introduction.suggestion_id == Suggestion.id)
        .where(Suggestion.state == "mutual", Introduction.closed_at > since)
        .order_by(Introduction.closed_at.desc())
        .limit(LIST_LIMIT)
    ).all()
    failed = 0
    if user.is_admin:
        failed = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(("failed", "ambiguous")))
        )
    if not (waiting_count or new_count or mutual or failed):
        return None

    def pair(s: Suggestion) -> dict:
        return {
            "fr": collectivite_name(s.fr, lang),
            "kr": collectivite_name(s.kr, lang),
            "score": round(s.score_total * 100),
            "url": first_url([("review.pair", {"suggestion_id": s.id}), ("review.pairs", {})], "staff.login"),
        }

    return {
        "org": user.org,
        "waiting_count": waiting_count,
        "waiting": [pair(s) for s in waiting],
        "pairs_url": first_url([("review.pairs", {})], "staff.login"),
        "new_count": new_count,
        "new_responses": [
            {
                "name": collectivite_name(c, lang),
                "country": c.country,
                "url": first_url([("questionnaire.staff_response", {"response_id": r.id})], "staff.login"),
            }
            for r, c in new_responses
        ],
        "responses_url": first_url([("questionnaire.staff_responses", {})], "staff.login"),
        "mutual": [pair(s) for s in mutual],
        "failed_count": failed,
        "outbox_url": first_url([("mail.staff_outbox", {"status": "failed"})], "staff.login"),
    }


@dataclass(frozen=True)
class _OpenedDigest:
    """A digest that is due and has something to say: its outbox key, content, period and unsubscribe link."""

    sub: Subscription
    kind: str
    key: str
    content: dict
    period: str
    period_label: str
    unsubscribe_url: str

    def queue(self, template: str, **values) -> OutboxMessage | None:
        """Queue it with ``template`` (plus ``values``), with the one-click unsubscribe headers."""
        recipient = self.sub.recipient
        return enqueue_email(
            self.key,
            self.kind,
            (recipient.name, recipient.email),
            recipient.language,
            template,
            dict(
                self.content,
                period=self.period,
                period_label=self.period_label,
                unsubscribe_url=self.unsubscribe_url,
                **values,
            ),
            headers=list_unsubscribe_headers(self.unsubscribe_url),
        )


def _open_digest(
    sub: Subscription, digest: str, period: str, now: datetime, content: Callable[[datetime, str], dict | None]
) -> _OpenedDigest | None:
    """The opening both digests share: its key (None when already queued), what happened since the previous one
    (``content(since, lang)``, None when there is nothing to say), its period and unsubscribe link, rendered on
    the public address in the recipient's language."""
    recipient = sub.recipient
    kind, prefix = DIGEST_KINDS[digest]
    key = f"{prefix}:{recipient.id}:{period}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)):
        return None
    lang = recipient.language
    since = _last_sent(kind, recipient.email) or previous_period_start(now, recipient.timezone, sub.frequency)
    with public_url_context(lang):
        said = content(since, lang)
        if said is None:
            return None
        url = unsubscribe_url(sub, lang)
        label = period_label(sub.frequency, now, recipient.timezone)
    return _OpenedDigest(sub, kind, key, said, period, label, url)


def build_reviewer_digest(sub: Subscription, period: str, now: datetime) -> OutboxMessage | None:
    """Queue one reviewer's digest for ``period`` (None when there is nothing to say or it exists)."""
    recipient = sub.recipient
    user = db.session.get(StaffUser, recipient.staff_user_id) if recipient.staff_user_id else None
    if user is None or not user.active:
        return None
    digest = _open_digest(
        sub, REVIEWER_DIGEST, period, now, lambda since, lang: reviewer_digest_content(user, since, lang)
    )
    return None if digest is None else digest.queue("mail/email/reviewer_digest")


# --- collectivités --------------------------------------------------------------------------------------------


def _answer_links(intro: Introduction, side: str, lang: str) -> dict:
    """Fresh answer links for one side of an open introduction, valid as long as the introduction stays open."""
    ttl_days = min(int(current_app.config["ANSWER_TTL_DAYS"]), int(current_app.config["INTRODUCTION_EXPIRY_DAYS"]))
    remaining = intro.created_at + timedelta(days=ttl_days) - utcnow()
    if remaining <= timedelta(0):
        return {}
    raw = issue_token("answer", remaining, suggestion_id=intro.suggestion_id, side=side)
    return {
        "interested_url": first_url([("review.answer", {"token": raw, "choice": "interested", "lang": lang})]),
        "not_interested_url": first_url([("review.answer", {"token": raw, "choice": "not_interested", "lang": lang})]),
        "expires_on": (intro.created_at + timedelta(days=ttl_days)).date(),
    }


def contacts_by_email() -> dict[str, list[int]]:
    """The collectivités (ids) of each contact address, read once per build instead of once per recipient."""
    out: dict[str, list[int]] = {}
    for email, coll_id in db.session.execute(
        contactable_responses().with_only_columns(Response.contact_email, Collectivite.id)
    ).all():
        out.setdefault(normalise_email(email), []).append(coll_id)
    return out


def partner_digest_content(
    email: str, since: datetime, lang: str, contacts: dict[str, list[int]] | None = None
) -> dict | None:
    """What a collectivité contact's digest says (all their collectivités), or None when there is nothing to say."""
    coll_ids = (contacts if contacts is not None else contacts_by_email()).get(email)
    if not coll_ids:
        return None
    found = {c.id: c for c in db.session.scalars(select(Collectivite).where(Collectivite.id.in_(coll_ids)))}
    ids = {i: found[i] for i in coll_ids if i in found}
    rows = db.session.execute(
        select(Introduction, Suggestion)
        .join(Suggestion, Introduction.suggestion_id == Suggestion.id)
        .where(or_(Suggestion.fr_id.in_(ids), Suggestion.kr_id.in_(ids)))
        .order_by(Introduction.created_at.desc(), Introduction.id)
    ).all()
    open_answers, new_intros, mutual = [], [], []
    for intro, s in rows:
        side = "FR" if s.fr_id in ids else "KR"
        me, partner = (s.fr, s.kr) if side == "FR" else (s.kr, s.fr)
        item = {
            "me": collectivite_name(me, lang),
            "partner": collectivite_name(partner, lang),
            "introduced_on": intro.created_at.date(),
        }
        answered = intro.fr_answer if side == "FR" else intro.kr_answer
        if intro.closed_at is None and answered is None and s.state == "introduced":
            links = _answer_links(intro, side, lang)
            if links:
                open_answers.append(dict(item, **links))
                continue
        if s.state == "mutual" and intro.closed_at is not None and intro.closed_at > since:
            mutual.append(item)
        elif intro.created_at > since:
            new_intros.append(dict(item, answer=answered))
    if not (open_answers or new_intros or mutual):
        return None
    responses = [c.response for c in ids.values() if c.response is not None]
    gaps = reminders_due(responses)  # what the questionnaire still misses, said once (see build_partner_digest)
    return {
        "open_answers": open_answers,
        "new_introductions": new_intros,
        "mutual": mutual,
        "collectivites": [collectivite_name(c, lang) for c in ids.values()],
        "profile_gaps": [
            {
                "name": collectivite_name(r.collectivite, lang),
                "percent": g.percent,
                "missing": [str(what) for _, what, _ in g.missing],
            }
            for r, g in gaps
        ],
        "profile_gaps_due": gaps,
    }


def build_partner_digest(
    sub: Subscription, period: str, now: datetime, contacts: dict[str, list[int]] | None = None
) -> OutboxMessage | None:
    """Queue one collectivité contact's digest for ``period`` (None when there is nothing to say or it exists)."""
    digest = _open_digest(
        sub,
        PARTNER_DIGEST,
        period,
        now,
        lambda since, lang: partner_digest_content(sub.recipient.email, since, lang, contacts),
    )
    if digest is None:
        return None
    gaps = digest.content.pop("profile_gaps_due", [])
    message = digest.queue("mail/email/partner_digest", frequency=sub.frequency)
    if message is not None and gaps:
        mark_reminded(gaps)
    return message


BUILDERS = {REVIEWER_DIGEST: build_reviewer_digest, PARTNER_DIGEST: build_partner_digest}


# --- the build ------------------------------------------------------------------------------------------------


def _build_group(builder: _Builder, kind: str, tz: str, frequency: str, period: str, subs: list[Subscription]) -> dict:
    errors_before = len(builder.report.errors)
    queued_before = len(builder.report.queued)
    extra = ()
    if kind == PARTNER_DIGEST:
        contacts = contacts_by_email()
        extra = (contacts,)
        # A contact none of whose collectivités was ever introduced has nothing to read: skipped without a query
        # (most of 36,000 contacts, at every build).
        introduced = {
            i
            for pair in db.session.execute(
                select(Suggestion.fr_id, Suggestion.kr_id).join(
                    Introduction, Introduction.suggestion_id == Suggestion.id
                )
            )
            for i in pair
        }
        subs = [sub for sub in subs if introduced.intersection(contacts.get(sub.recipient.email, ()))]
    for sub in subs:
        builder.each(f"{kind}:{sub.recipient.email}", lambda sub=sub: BUILDERS[kind](sub, period, builder.now, *extra))
    if len(builder.report.errors) > errors_before:
        # The JobRun is marked failed, so the next hourly run retries; keys keep the built ones single.
        raise RuntimeError(f"{len(builder.report.errors) - errors_before} digest(s) of {kind} could not be built")
    return {"queued": len(builder.report.queued) - queued_before, "recipients": len(subs)}


def _group_done(group: str, period: str) -> bool:
    found = db.session.scalar(
        select(JobRun.id).where(JobRun.job == group, JobRun.period_key == period, JobRun.status == "done")
    )
    return found is not None


def _build_due_groups(builder: _Builder) -> None:
    """Build every group that is due and not done yet (cheap when all are done: nothing else is read)."""
    due = []
    for kind in (REVIEWER_DIGEST, PARTNER_DIGEST):
        for tz in (PARIS, SEOUL):
            for frequency in ("weekly", "monthly"):
                period = due_period(builder.now, tz, frequency, DIGEST_HOUR)
                if period is None:
                    continue
                group = f"digest:{kind}:{tz}:{frequency}"
                if _group_done(group, period):
                    builder.report.groups_skipped.append(f"{group}:{period}")
                else:
                    due.append((kind, tz, frequency, period, group))
    if not due:
        return

    def sync() -> None:
        sync_staff_recipients()
        sync_partner_recipients()
        if not builder.dry_run:
            db.session.commit()

    retry_when_locked(sync)
    for kind, tz, frequency, period, group in due:
        subs = active_subscriptions(kind, tz, frequency)
        if not subs:
            continue
        label = f"{group}:{period}"
        if builder.dry_run:
            try:
                _build_group(builder, kind, tz, frequency, period, subs)
            except RuntimeError:
                pass  # already in the report's errors
            builder.report.groups_built.append(label)
            continue
        # partial, not a lambda: the group's values are bound now, whenever the operation runs.
        result = run_once(
            group,
            period,
            partial(_build_group, builder, kind, tz, frequency, period, subs),
            now=builder.now,
            lease=GROUP_LEASE,
        )
        if result.status != "skipped":
            builder.report.groups_built.append(label)
        elif _group_done(group, period):
            builder.report.groups_skipped.append(label)
        else:
            builder.report.groups_elsewhere.append(label)


def build_digests(now: datetime | None = None, *, dry_run: bool = False, reminders: bool = True) -> BuildReport:
    """Queue the digests that are due (and the reminders); with ``dry_run``, report them and write nothing."""
    builder = _Builder(now or utcnow(), dry_run)
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False  # one commit per email: expiring
    try:  # every loaded row each time is O(n²)
        _build_due_groups(builder)
    finally:
        session.expire_on_commit = expire_on_commit
    if reminders:
        build_reminders(builder)
    if dry_run:
        db.session.rollback()
    log.info(
        "digests built",
        extra={"queued": len(builder.report.queued), "dry_run": dry_run, "errors": len(builder.report.errors)},
    )
    return builder.report
