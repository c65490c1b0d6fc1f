"""Operations on questionnaire responses: the only code that writes them.

Drafts, submissions (a new version each time), private links, file import (all or nothing), export and the
purge of abandoned drafts. Callers commit, except the import, which is its own unit of work.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, Iterable, Mapping, Sequence

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from matchmaker import tokens
from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.gdpr.operations import erase_response
from matchmaker.mail.outbox import enqueue_email
from matchmaker.matching.text import search_key
from matchmaker.models import (
    AccessToken,
    Collectivite,
    OutboxMessage,
    Response,
    ResponseVersion,
    StaffUser,
    ThemeInterest,
)
from matchmaker.models.collectivite import reader_name
from matchmaker.questionnaire.exporting import write_records
from matchmaker.questionnaire.importing import ImportFileError, RowError, read_records  # noqa: F401  (callers catch ImportFileError here)
from matchmaker.questionnaire.record import FIELDS, record_to_answers, response_to_record
from matchmaker.questionnaire.validation import validate_record
from matchmaker.review.operations import withdraw_introductions
from matchmaker.staff.visibility import org_of_country, visible_records
from matchmaker.suggestions.embeddings import embed_responses
from matchmaker.vocabulary import LANGUAGES, known_language

log = logging.getLogger("matchmaker.questionnaire")

LINK_EMAIL_KIND = "response_link"
LINK_TEMPLATE = "questionnaire/email/response_link"
SUBMISSION_EMAIL_KIND = "submission_confirmation"
SUBMISSION_TEMPLATE = "questionnaire/email/submission_confirmation"
DELETED_TEMPLATE = "questionnaire/email/response_deleted"
#: How long a rendered form's one-time submission key is remembered (a double post comes within seconds; a
#: back button within days).
SUBMISSION_KEY_TTL = timedelta(days=7)


class DuplicateCollectivite(Exception):
    """Another response already speaks for this collectivité; the web form must not take it over."""


# --- collectivités ----------------------------------------------------------------------------------------


def rekey_collectivites(batch: int = 1000) -> int:
    """Recompute every stored name key with the current normaliser; returns how many changed (the caller commits).

    Keys written by an older normaliser would otherwise miss queries the new one folds the same way; running it
    again changes nothing.
    """
    changed, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(Collectivite.id, Collectivite.name, Collectivite.name_key)
            .where(Collectivite.id > last_id)
            .order_by(Collectivite.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        for row_id, name, key in rows:
            if search_key(name) != key:
                db.session.get(Collectivite, row_id).name_key = search_key(name)
                changed += 1
        db.session.flush()
        last_id = rows[-1][0]
    log.info("name keys recomputed", extra={"changed": changed})
    return changed


def find_collectivite(record: Mapping[str, Any]) -> Collectivite | None:
    """The stored collectivité a record speaks for: same country, level and code; or, without a code, same name."""
    country, level, code = record["country"], record["level"], record.get("code")
    query = select(Collectivite).where(Collectivite.country == country, Collectivite.level == level)
    if code:
        query = query.where(Collectivite.code == code)
    else:
        query = query.where(Collectivite.name_key == search_key(record["name"])).order_by(
            Collectivite.code.is_not(None), Collectivite.id
        )
    return db.session.scalars(query.limit(1)).first()


def _apply_identity(coll: Collectivite, record: Mapping[str, Any]) -> None:
    coll.country = record["country"]
    coll.level = record["level"]
    coll.code = record.get("code")
    coll.name = record["name"]
    coll.name_local = record.get("name_local")
    coll.name_key = search_key(record["name"])
    coll.population = record.get("population")
    coll.region = record.get("region")


def _apply_answers(response: Response, record: Mapping[str, Any]) -> None:
    response.language = record["language"]
    response.contact_name = record.get("contact_name")
    response.contact_role = record.get("contact_role")
    response.contact_email = record.get("contact_email")
    response.digest_frequency = record.get("digest_frequency") or "monthly"
    for name in ("sectors", "partner_levels", "cooperation_kinds", "working_languages", "existing_partners"):
        setattr(response, name, list(record.get(name) or []))
    response.description = record.get("description")
    response.consent_contact = bool(record.get("consent_contact"))
    response.consent_share = bool(record.get("consent_share"))
    wanted = record.get("themes") or {}
    current = {t.theme_code: t for t in response.themes}
    for code, interest in current.items():
        if code not in wanted:
            response.themes.remove(interest)
    for code, answer in wanted.items():
        interest = current.get(code)
        if interest is None:
            response.themes.append(ThemeInterest(theme_code=code, priority=answer["priority"], stance=answer["stance"]))
        else:
            interest.priority, interest.stance = answer["priority"], answer["stance"]


def submit_response(answers: Mapping[str, Any], source: str, response: Response | None = None) -> Response:
    """Store a clean record as the current answers of its collectivité and append a version; the caller commits.

    Without ``response`` (import) the collectivité's existing response gets the new version. With one (the web
    form, a private link) that response is updated; if the identity belongs to another collectivité that
    already has a response, :class:`DuplicateCollectivite` is raised rather than taking it over.
    """
    record = {name: answers.get(name) for name in FIELDS}
    coll = find_collectivite(record)
    if response is None:
        if coll is None:
            coll = Collectivite()
            db.session.add(coll)
        response = coll.response
        if response is None:
            response = Response(collectivite=coll, version=0)
            db.session.add(response)
    else:
        if coll is not None and coll.response is not None and coll.response is not response:
            raise DuplicateCollectivite(coll.display_name)
        if coll is None:
            coll = response.collectivite or Collectivite()
            if coll.id is None:
                db.session.add(coll)
        response.collectivite = coll
    if _unchanged(response, record):
        response.draft = None  # the edits came back to the submitted answers: nothing new to keep
        response.draft_saved_at = None
        return response
    response = _record_version(coll, response, record, source)
    _encode_presentations([response])
    return response


def _encode_presentations(responses: list[Response]) -> None:
    """Store the sentence-encoder vectors of new presentations (once per text, in batches).

    A failure here must not lose the answers: the vectors are then made by `matchmaker embed`.
    """
    responses = list({id(r): r for r in responses}.values())  # a file may hold one collectivité twice
    try:
        with db.session.begin_nested():
            embed_responses(responses)
    except Exception:
        log.exception("encoding presentations failed", extra={"responses": len(responses)})


def _unchanged(response: Response, record: Mapping[str, Any]) -> bool:
    """Whether a submitted response's last version already holds exactly these answers."""
    if response.id is None or response.status != "submitted" or not response.versions:
        return False
    return response.versions[-1].answers == json.loads(json.dumps(record))


def known_response(answers: Mapping[str, Any], response: Response | None, language: str = "en") -> Response | None:
    """The submitted response of another draft's identity: the collectivité typed or chosen has already answered."""
    identity = {name: answers.get(name) for name in ("name", "country", "level", "code")}
    clean, _errors = validate_record(identity, language, partial=True)
    if not (clean.get("name") and clean.get("country") and clean.get("level")):
        return None
    coll = find_collectivite(
        {"name": clean["name"], "country": clean["country"], "level": clean["level"], "code": clean.get("code")}
    )
    found = coll.response if coll is not None else None
    if found is None or found.status != "submitted" or found.anonymised_at is not None:
        return None
    if response is not None and found.id == response.id:
        return None
    return found


def send_known_link(known: Response) -> bool:
    """Email a new private link to a known collectivité's contact on file (at most one an hour); the caller commits.

    Returns whether an email was queued; callers say the same thing either way, so nobody learns the address.
    """
    if not known.contact_email or known.anonymised_at is not None:
        return False
    recent = db.session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.key.like(f"response-link:{known.id}:%"),
            OutboxMessage.created_at > utcnow() - timedelta(hours=1),
        )
        .limit(1)
    )
    if recent is not None:
        return False
    send_response_link(known, known.contact_email, known.language)
    log.info("private link re-sent to a known collectivité", extra={"response_id": known.id})
    return True


def claim_submission_key(response: Response, key: str) -> bool:
    """Record a rendered form's one-time submission key in the caller's transaction; False when it was used before.

    Two posts of the same key at once (a double click) race on the key's unique hash: the second waits for the
    first to commit and is then refused, so it writes nothing.
    """
    digest = tokens.hash_token(f"submission:{key}")
    if db.session.scalar(select(AccessToken.id).where(AccessToken.token_hash == digest)) is not None:
        return False
    now = utcnow()
    try:
        with db.session.begin_nested():
            db.session.add(
                AccessToken(
                    token_hash=digest,
                    purpose="submission",
                    response_id=response.id,
                    created_at=now,
                    expires_at=now + SUBMISSION_KEY_TTL,
                    used_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


def _record_version(coll: Collectivite, response: Response, record: Mapping[str, Any], source: str) -> Response:
    """Write a record onto a collectivité and its response, and append the new version."""
    _apply_identity(coll, record)
    _apply_answers(response, record)
    now = utcnow()
    response.status = "submitted"
    response.submitted_at = now
    response.draft = None
    response.draft_saved_at = None
    response.version = (response.version or 0) + 1
    db.session.add(
        ResponseVersion(
            response=response,
            number=response.version,
            answers=json.loads(json.dumps(record)),
            source=source,
            created_at=now,
        )
    )
    if source != "import":  # an import logs one line for the whole file
        log.info(
            "response submitted", extra={"response_id": response.id, "version": response.version, "source": source}
        )
    return response


# --- drafts and private links -----------------------------------------------------------------------------


def save_draft(
    answers: Mapping[str, Any], *, response: Response | None = None, language: str = "fr", step: str | None = None
) -> tuple[Response, str | None]:
    """Keep what was typed (even invalid) as the response's draft; the caller commits.

    Returns the response and, when this save is the first with a usable contact email (or the email changed),
    the raw private link token, which was also queued by email.
    """
    if response is None:
        response = Response(status="draft", language=language, version=0)
        db.session.add(response)
    state = dict(response.draft or {})
    if state.get("answers") is None and response.status == "submitted":
        # editing a submitted response starts from its current answers, and its contact already has a link
        state["answers"] = record_to_answers(response_to_record(response))
        state["link_sent_to"] = response.contact_email
    merged = dict(state.get("answers") or {})
    merged.update(answers)
    state["answers"] = merged
    if step:
        state["step"] = step
        seen = list(state.get("steps") or [])
        if step not in seen:
            seen.append(step)
        state["steps"] = seen
    if response.status == "draft" and merged.get("language") in LANGUAGES:
        response.language = merged["language"]
    response.draft = state
    response.draft_saved_at = utcnow()
    db.session.flush()
    raw = _link_if_new_email(response, merged, language)
    return response, raw


def _link_if_new_email(response: Response, answers: Mapping[str, Any], language: str) -> str | None:
    """Issue and mail a private link the first time the draft holds a valid email (or a new one)."""
    clean, errors = validate_record({"contact_email": answers.get("contact_email")}, language, partial=True)
    email = clean.get("contact_email")
    if not email or "contact_email" in errors:
        return None
    state = dict(response.draft or {})
    if state.get("link_sent_to") == email:
        return None
    mail_language = known_language(answers.get("language"), language)
    name = reader_name(answers.get("name"), answers.get("name_local"), mail_language) or None
    raw = send_response_link(response, email, mail_language, name=name)
    state["link_sent_to"] = email
    response.draft = state
    return raw


def send_response_link(response: Response, email: str, language: str, *, name: str | None = None) -> str:
    """Issue a private ``edit`` link for a response and queue the email carrying it; returns the raw token."""
    language = known_language(language)
    ttl = timedelta(days=current_app.config["TOKEN_TTL_DAYS"])
    raw = tokens.issue_token("edit", ttl, response_id=response.id)
    db.session.flush()
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == tokens.hash_token(raw)))
    if name is None and response.collectivite is not None:
        name = response.collectivite.name_for(language)
    enqueue_email(
        f"response-link:{response.id}:{token.id}",
        LINK_EMAIL_KIND,
        email,
        language,
        LINK_TEMPLATE,
        {
            "token": raw,
            "name": name or "",
            "expires_at": token.expires_at,
            "ttl_days": current_app.config["TOKEN_TTL_DAYS"],
        },
    )
    log.info("private link issued", extra={"response_id": response.id, "token_id": token.id})
    return raw


def confirm_submission(response: Response) -> str | None:
    """Queue the short "answers received" email with a new private link, in the respondent's language, naming the
    collectivité finally chosen; returns the raw token (None without a contact email). The caller commits."""
    if not response.contact_email or response.collectivite is None:
        return None
    language = known_language(response.language)
    coll = response.collectivite
    raw = tokens.issue_token("edit", timedelta(days=current_app.config["TOKEN_TTL_DAYS"]), response_id=response.id)
    db.session.flush()
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == tokens.hash_token(raw)))
    enqueue_email(
        f"submission:{response.id}:{response.version}",
        SUBMISSION_EMAIL_KIND,
        (response.contact_name, response.contact_email),
        language,
        SUBMISSION_TEMPLATE,
        {"token": raw, "name": coll.name_for(language), "number": response.version, "expires_at": token.expires_at},
    )
    return raw


def delete_response(response: Response) -> dict[str, int]:
    """Delete a response at its contact's request (through its private link); the caller commits.

    Its open introductions are withdrawn (the other side is told), the staff of its association are told, then
    its contact data is erased the way ``matchmaker gdpr erase`` does: private links revoked, emails to the contact
    deleted, the collectivité's answers kept only as anonymous statistics and no longer matched.
    """
    coll = response.collectivite
    withdrawn = withdraw_introductions(coll.id) if coll is not None else 0
    if coll is not None and response.status == "submitted":
        staff = db.session.scalars(
            select(StaffUser)
            .where(StaffUser.org == org_of_country(coll.country), StaffUser.active.is_(True))
            .order_by(StaffUser.id)
        ).all()
        for user in staff:
            enqueue_email(
                f"deleted:{response.id}:{user.id}",
                "response_deleted",
                (user.name, user.email),
                user.language,
                DELETED_TEMPLATE,
                {"name": coll.name_for(user.language), "withdrawn": withdrawn, "response_id": response.id},
            )
    counts = erase_response(response)
    counts["introductions_withdrawn"] = withdrawn
    log.info("response deleted through its private link", extra={"response_id": response.id, "counts": counts})
    return counts


def revoke_response_links(response_id: int) -> int:
    """Revoke every live private edit link of a response (staff); returns how many; the caller commits."""
    return tokens.revoke_tokens(response_id=response_id, purpose="edit")


def token_is_live(token_id: int, response_id: int, now: datetime | None = None) -> bool:
    """Whether a private link still grants access to this response (not revoked, not expired)."""
    token = db.session.get(AccessToken, token_id)
    return (
        token is not None
        and token.response_id == response_id
        and token.purpose == "edit"
        and token.revoked_at is None
        and token.expires_at > (now or utcnow())
    )


def purge_expired_drafts(now: datetime | None = None) -> int:
    """Delete drafts never submitted and untouched for DRAFT_TTL_DAYS; returns how many; the caller commits."""
    limit = (now or utcnow()) - timedelta(days=current_app.config["DRAFT_TTL_DAYS"])
    ids = db.session.scalars(
        select(Response.id).where(
            Response.status == "draft",
            Response.version == 0,
            func.coalesce(Response.draft_saved_at, Response.created_at) < limit,
        )
    ).all()
    if ids:
        db.session.execute(delete(AccessToken).where(AccessToken.response_id.in_(ids)))
        db.session.execute(delete(Response).where(Response.id.in_(ids)))
    log.info("expired drafts purged", extra={"count": len(ids)})
    return len(ids)


# --- import -----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import found and did."""

    rows: int = 0
    imported: int = 0
    created: int = 0
    new_versions: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when every row was valid."""
        return not self.errors

    def summary(self) -> str:
        """One line for people."""
        invalid = len(self.skipped_lines)
        if self.dry_run:
            return (
                f"{_count(self.rows, 'row')} checked, {self.rows - invalid} valid, {invalid} invalid; "
                "nothing written (dry run)"
            )
        if not self.written:
            return f"{_count(self.rows, 'row')} checked, {invalid} invalid; nothing imported"
        text = (
            f"{_count(self.imported, 'response')} imported ({_count(self.created, 'new collectivité')}, "
            f"{_count(self.new_versions, 'new version')} of existing responses)"
        )
        if invalid:
            text += f"; {_count(invalid, 'invalid row')} skipped"
        return text


def _count(number: int, noun: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def import_records(
    records: Sequence[Mapping[str, Any]],
    *,
    source: str = "import",
    skip_invalid: bool = False,
    lines: Sequence[int] | None = None,
    lang: str = "en",
    dry_run: bool = False,
    file_errors: Iterable[RowError] = (),
) -> ImportReport:
    """Validate every record first; then, if all are valid (or ``skip_invalid``), write them in one transaction.

    ``lines`` gives each record's line in its file (for the report); ``file_errors`` are problems found while
    reading the file (bad JSON, unknown column), which count as invalid rows. Commits on success, rolls
    everything back on any failure.
    """
    report = ImportReport(rows=len(records), dry_run=dry_run, errors=list(file_errors))
    lines = list(lines) if lines is not None else list(range(1, len(records) + 1))
    bad_lines = {e.line for e in report.errors}
    valid: list[dict[str, Any]] = []
    first_line: dict[tuple[str, str, str], int] = {}
    for line, record in zip(lines, records):
        if line in bad_lines:
            continue  # unreadable line (bad JSON, too many cells): already reported
        clean, errors = validate_record(record, lang)
        if errors:
            bad_lines.add(line)
            report.errors.extend(RowError(line, name, message) for name, message in errors.items())
        else:
            valid.append(clean)
            key = identity_key(clean)
            if key in first_line:
                # Kept, as a later version: a file of successive updates is a use the import supports (each
                # line becomes a version, the last one current); but never without saying so.
                with force_locale(lang):
                    report.warnings.append(
                        RowError(
                            line,
                            "code" if clean.get("code") else "name",
                            _(
                                "The same collectivité as line %(first)s: both are imported, this line as the "
                                "newer version.",
                                first=first_line[key],
                            ),
                        )
                    )
            first_line.setdefault(key, line)
    report.errors.sort(key=lambda e: e.line)
    report.skipped_lines = sorted(bad_lines)
    if dry_run or (report.errors and not skip_invalid):
        return report
    try:
        known = _existing_collectivites(valid)
        written: list[Response] = []
        with db.session.no_autoflush:  # one flush per batch, not one per query
            for clean in valid:
                key = identity_key(clean)
                coll = known.get(key)
                if coll is None:
                    coll = known[key] = Collectivite()
                    db.session.add(coll)
                    report.created += 1
                else:
                    report.new_versions += 1
                response = coll.response
                if response is None:
                    response = Response(collectivite=coll, version=0)
                    db.session.add(response)
                _record_version(coll, response, {name: clean.get(name) for name in FIELDS}, source)
                written.append(response)
                report.imported += 1
                if report.imported % 250 == 0:
                    db.session.flush()
        _encode_presentations(written)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = True
    log.info(
        "responses imported",
        extra={
            "imported": report.imported,
            "collectivites_created": report.created,
            "new_versions": report.new_versions,
            "skipped": len(report.skipped_lines),
        },
    )
    return report


def identity_key(record: Mapping[str, Any]) -> tuple[str, str, str]:
    """What identifies a collectivité in a record: country, level and official code, or the name without a code."""
    return record["country"], record["level"], record.get("code") or "name:" + search_key(record["name"])


def _existing_collectivites(records: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str, str], Collectivite]:
    """The stored collectivités the records speak for, with their responses and themes, in a few queries."""
    found: dict[tuple[str, str, str], Collectivite] = {}
    codes = sorted({r["code"] for r in records if r.get("code")})
    keys = sorted({search_key(r["name"]) for r in records if not r.get("code")})
    options = selectinload(Collectivite.response).selectinload(Response.themes)
    for column, values in ((Collectivite.code, codes), (Collectivite.name_key, keys)):
        for start in range(0, len(values), 500):
            rows = db.session.scalars(
                select(Collectivite)
                .where(column.in_(values[start : start + 500]))
                .options(options)
                .order_by(Collectivite.code.is_not(None).desc(), Collectivite.id.desc())
            )
            for coll in rows:
                if coll.code and column is Collectivite.code:
                    found[(coll.country, coll.level, coll.code)] = coll
                elif column is Collectivite.name_key:
                    found[(coll.country, coll.level, "name:" + coll.name_key)] = (
                        coll  # code-less rows come last and win
                    )
    return found


def import_file(
    path: Path | str, *, skip_invalid: bool = False, dry_run: bool = False, lang: str = "en", source: str = "import"
) -> ImportReport:
    """Import a JSON Lines or CSV file (UTF-8, with or without BOM); see :func:`import_records`."""
    lines, records, file_errors = read_records(Path(path), lang)
    return import_records(
        records,
        source=source,
        skip_invalid=skip_invalid,
        lines=lines,
        lang=lang,
        dry_run=dry_run,
        file_errors=file_errors,
    )


# --- export -----------------------------------------------------------------------------------------------


def exportable_responses():
    """Query of submitted, not anonymised responses, by country then name."""
    return (
        select(Response)
        .join(Response.collectivite)
        .where(Response.status == "submitted", Response.anonymised_at.is_(None))
        .options(selectinload(Response.themes), selectinload(Response.collectivite))
        .order_by(Collectivite.country, Collectivite.name_key, Collectivite.id)
    )


def export_records(org: str | None = None) -> list[dict[str, Any]]:
    """Every submitted response as a clean record; for staff of ``org``, without the contacts they may not see."""
    responses = list(db.session.scalars(exportable_responses()))
    if org is None:
        return [response_to_record(r) for r in responses]
    return visible_records(((response_to_record(r), r) for r in responses), org)


def export_responses(fmt: str, stream: IO[bytes], *, org: str | None = None) -> int:
    """Write every submitted response to a binary stream as ``csv`` (with BOM), ``xlsx`` or ``jsonl``; returns the
    count.

    The command line (an operator's tool) exports everything; the web passes the staff user's ``org``.
    """
    records = export_records(org)
    write_records(records, fmt, stream)
    return len(records)
