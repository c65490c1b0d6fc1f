"""Builders of outreach test data: campaigns of real collectivités of the reference lists."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.outreach.operations import create_campaign, queue_invitations
from matchmaker.outreach.targets import parse_csv

#: Five Breton communes of the reference list, with made-up addresses.
BRETON = {
    "35238": "mairie@rennes.example.fr",
    "29019": "international@brest.example.fr",
    "56121": "contact@lorient.example.fr",
    "22278": "accueil@saint-brieuc.example.fr",
    "35288": "jumelages@saint-malo.example.fr",
}


def csv_of(addresses: dict[str, str], language: str | None = None) -> str:
    """A CSV of codes and addresses, as staff would paste it."""
    header = "code,email" + (",language" if language else "")
    lines = [f"{code},{email}" + (f",{language}" if language else "") for code, email in addresses.items()]
    return "\n".join([header, *lines]) + "\n"


def breton_campaign(org: str = "CUF", addresses: dict[str, str] | None = None, reminder_after_days: int = 10):
    """A campaign of CUF inviting the Breton communes, invitations queued and committed."""
    targets = parse_csv("FR", csv_of(addresses or BRETON))
    campaign = create_campaign(org, "Bretagne 2027", targets, reminder_after_days=reminder_after_days)
    report = queue_invitations(campaign)
    db.session.commit()
    return campaign, report
