"""Who may see a collectivité's contact: the one rule, applied by every staff page, export and email list.

Before mutual interest, a collectivité's contact person (name, role, email) and its private links are seen only
by the staff of its own association: CUF for French collectivités, GAROK for Korean ones. Once a pair of which it
is part reaches mutual interest, both associations see its contact. The command line is an operator's tool and
does not go through this rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import func, or_, select

from matchmaker.extensions import db
from matchmaker.models import Campaign, Collectivite, DigestRecipient, OutboxMessage, Response, StaffUser, Suggestion
from matchmaker.vocabulary import ORG_OF_COUNTRY

#: The association of each country's collectivités.
#: Fields of a response (and of its records, drafts and versions) that name or reach the contact person
#: (the questionnaire asks no phone number).
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_email")
#: Pair states in which both sides have said "interested".
SHARED_STATES = ("mutual",)
#: Key of a redacted record that says whose staff may see the contact.
HIDDEN_MARK = "contact_hidden_for"

_KEY_RESPONSE = re.compile(r"^(?:response-link|draft-reminder|accuracy|submission|deleted):(\d+)(?::|$)")
_KEY_PAIR_SIDE = re.compile(r"^(?:introduction|mutual|withdrawn):(\d+):(FR|KR)$")
_KEY_RECIPIENT = re.compile(r"^partner-digest:(\d+):")
_KEY_CAMPAIGN = re.compile(r"^outreach:(\d+):")  # an invitation campaign's emails: to its own country's addresses
_KEY_PANEL_MEMBER = re.compile(r"^seminar-panel:\d+:(\d+)$")  # a seminar panel's invitation to a collectivité


def org_of_country(country: str | None) -> str | None:
    """The association that looks after a country's collectivités (None when the country is unknown)."""
    return ORG_OF_COUNTRY.get(country or "")


def response_country(response: Response | None) -> str | None:
    """The country of a response: its collectivité's, else the one chosen in its draft."""
    if response is None:
        return None
    if response.collectivite is not None:
        return response.collectivite.country
    answers = (response.draft or {}).get("answers") or {}
    return answers.get("country") if answers.get("country") in ORG_OF_COUNTRY else None


def shared_collectivite_ids(ids: Iterable[int] | None = None) -> set[int]:
    """Collectivités (among ``ids``, or all) that are in a pair with mutual interest."""
    query = select(Suggestion.fr_id, Suggestion.kr_id).where(Suggestion.state.in_(SHARED_STATES))
    if ids is not None:
        ids = [i for i in ids if i is not None]
        if not ids:
            return set()
        query = query.where(or_(Suggestion.fr_id.in_(ids), Suggestion.kr_id.in_(ids)))
    found: set[int] = set()
    for fr_id, kr_id in db.session.execute(query):
        found.update((fr_id, kr_id))
    return found


def sees_contact(
    org: str | None, country: str | None, collectivite_id: int | None = None, *, shared: set[int] | None = None
) -> bool:
    """Whether staff of ``org`` may see the contact of a collectivité of ``country``.

    Their own collectivités always; the other country's only once it is in a pair with mutual interest.
    ``shared`` is a precomputed :func:`shared_collectivite_ids` for lists.
    """
    if org is None or country is None:
        return False
    if org_of_country(country) == org:
        return True
    if collectivite_id is None:
        return False
    if shared is None:
        shared = shared_collectivite_ids([collectivite_id])
    return collectivite_id in shared


def sees_response_contact(org: str | None, response: Response | None, *, shared: set[int] | None = None) -> bool:
    """:func:`sees_contact` for a response (its collectivité, or the country of its draft)."""
    if response is None:
        return False
    return sees_contact(org, response_country(response), response.collectivite_id, shared=shared)


def manages_links(org: str | None, response: Response | None) -> bool:
    """Whether staff of ``org`` may see, revoke and send the private links of a response (its own association only)."""
    return response is not None and org is not None and org_of_country(response_country(response)) == org


def redact(record: Mapping[str, Any] | None, visible: bool, country: str | None) -> dict[str, Any] | None:
    """A copy of a record (answers, draft, version) without its contact fields when they are not visible.

    The copy says whose staff may see them (``contact_hidden_for``), so a page can explain the gap.
    """
    if record is None:
        return None
    if visible:
        return dict(record)
    out = {k: (None if k in CONTACT_FIELDS else v) for k, v in record.items()}
    out[HIDDEN_MARK] = org_of_country(country) or "—"
    return out


def visible_records(records: Iterable[tuple[Mapping[str, Any], Response]], org: str | None) -> list[dict[str, Any]]:
    """Records of responses (for an export) with the contacts the association may not see left empty."""
    pairs = list(records)
    shared = shared_collectivite_ids(r.collectivite_id for _, r in pairs)
    out = []
    for record, response in pairs:
        row = (
            {k: (None if k in CONTACT_FIELDS else v) for k, v in record.items()}
            if not sees_response_contact(org, response, shared=shared)
            else dict(record)
        )
        out.append(row)
    return out


# --- emails ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Whom an email was written to: ``staff``, or the contact of a collectivité (country, id), or unknown."""

    staff: bool = False
    country: str | None = None
    collectivite_id: int | None = None


def _response_audience(response: Response | None) -> Audience:
    if response is None:
        return Audience()
    return Audience(country=response_country(response), collectivite_id=response.collectivite_id)


def email_audiences(messages: Iterable[tuple[str | None, str | None]]) -> dict[tuple[str | None, str | None], Audience]:
    """The audience of each email given as (key, recipient address), read from its key, else from its address.

    An address that is neither a staff account nor a known contact has an unknown audience, shown to nobody.
    """
    messages = list(dict.fromkeys(messages))
    addresses = {(a or "").strip().lower() for _, a in messages if a}
    staff_addresses = set()
    by_address: dict[str, Response] = {}
    if addresses:
        staff_addresses = {
            e.lower()
            for e in db.session.scalars(select(StaffUser.email).where(func.lower(StaffUser.email).in_(addresses)))
        }
        staff_addresses |= {
            e.lower()
            for e in db.session.scalars(
                select(DigestRecipient.email).where(
                    func.lower(DigestRecipient.email).in_(addresses), DigestRecipient.staff_user_id.is_not(None)
                )
            )
        }
        for response in db.session.scalars(select(Response).where(func.lower(Response.contact_email).in_(addresses))):
            by_address.setdefault(response.contact_email.lower(), response)
    out = {}
    for original in messages:
        key, address = original
        address_key = (address or "").strip().lower()
        key = key or ""
        audience = None
        if match := _KEY_PAIR_SIDE.match(key):
            suggestion = db.session.get(Suggestion, int(match.group(1)))
            if suggestion is not None:
                side = match.group(2)
                audience = Audience(
                    country=side, collectivite_id=suggestion.fr_id if side == "FR" else suggestion.kr_id
                )
            else:
                audience = Audience(country=match.group(2))
        elif match := _KEY_RESPONSE.match(key):
            audience = _response_audience(db.session.get(Response, int(match.group(1))))
        elif match := _KEY_RECIPIENT.match(key):
            recipient = db.session.get(DigestRecipient, int(match.group(1)))
            if recipient is not None and recipient.response_id:
                audience = _response_audience(db.session.get(Response, recipient.response_id))
        elif match := _KEY_CAMPAIGN.match(key):
            campaign = db.session.get(Campaign, int(match.group(1)))
            audience = Audience(country=campaign.country) if campaign is not None else None
        elif match := _KEY_PANEL_MEMBER.match(key):
            member = db.session.get(Collectivite, int(match.group(1)))
            audience = Audience(country=member.country, collectivite_id=member.id) if member is not None else None
        if audience is None or audience.country is None:
            if address_key in staff_addresses:
                audience = Audience(staff=True)
            elif address_key in by_address:
                audience = _response_audience(by_address[address_key])
            else:
                audience = audience or Audience()
        out[original] = audience
    return out


def sees_email(org: str | None, audience: Audience, *, shared: set[int] | None = None) -> bool:
    """Whether staff of ``org`` may read an email (its address, body and links)."""
    if audience.staff:
        return True
    return sees_contact(org, audience.country, audience.collectivite_id, shared=shared)


def visible_outbox(rows: Iterable[OutboxMessage], org: str | None) -> dict[int, bool]:
    """For each outbox row of a page, whether staff of ``org`` may read it."""
    rows = list(rows)
    audiences = email_audiences((m.key, m.recipient) for m in rows)
    shared = shared_collectivite_ids(a.collectivite_id for a in audiences.values())
    return {m.id: sees_email(org, audiences[(m.key, m.recipient)], shared=shared) for m in rows}


def visible_captured(message_ids: Iterable[tuple[str | None, str | None]], org: str | None) -> dict[str | None, bool]:
    """For captured messages given as (Message-ID, To address): whether staff of ``org`` may read each.

    A captured message is matched to its outbox row by Message-ID (so its audience is the row's), else by address.
    """
    message_ids = list(message_ids)
    ids = [m for m, _ in message_ids if m]
    rows = (
        {m.message_id: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.message_id.in_(ids)))}
        if ids
        else {}
    )
    pairs = [(rows[m].key, rows[m].recipient) if m in rows else (None, a) for m, a in message_ids]
    audiences = email_audiences(pairs)
    shared = shared_collectivite_ids(a.collectivite_id for a in audiences.values())
    return {m: sees_email(org, audiences[pair], shared=shared) for (m, _), pair in zip(message_ids, pairs)}
