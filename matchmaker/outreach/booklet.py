"""The good-practice booklet: what respondents offer on a theme (or on all), in their own words, with the concepts
the service reads in their text; printable HTML and a PDF made by WeasyPrint with the system's Noto CJK fonts
(Debian fonts-noto-cjk), so Hangul prints. Nothing is fetched while rendering: every URL is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching.concepts import ConceptTable, KeywordMatcher
from matchmaker.models import Collectivite, Response, ThemeInterest
from matchmaker.questionnaire import codes
from matchmaker.taxonomy import load_taxonomy

STYLESHEET = "css/booklet.css"


@dataclass
class Entry:
    """One collectivité's practice: who, what it offers, its text, the concepts found in it."""

    collectivite: Collectivite
    language: str
    themes: list[str]
    text: str
    concepts: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _matcher():
    table = ConceptTable.from_taxonomy(load_taxonomy())
    return table, KeywordMatcher(table)


def concepts_in(text: str) -> list[str]:
    """Codes of the themes and sectors found in a text, most mentioned first."""
    table, matcher = _matcher()
    hits = matcher.hits(text or "")
    return [table.all[i].code for i, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))]


def booklet_entries(theme: str | None = None) -> list[Entry]:
    """Submitted responses shared with both associations that offer ``theme`` (any theme when None),
    French then Korean, by name."""
    query = (
        select(Response)
        .join(Collectivite, Response.collectivite_id == Collectivite.id)
        .where(Response.status == "submitted", Response.anonymised_at.is_(None), Response.consent_share.is_(True))
        .where(
            Response.id.in_(
                select(ThemeInterest.response_id).where(
                    ThemeInterest.stance.in_(("offer", "both")),
                    *(() if theme is None else (ThemeInterest.theme_code == theme,)),
                )
            )
        )
        .options(selectinload(Response.themes), selectinload(Response.collectivite))
        .order_by(Collectivite.country, Collectivite.name)
    )
    entries = []
    for response in db.session.scalars(query):
        offered = [
            t.theme_code for t in sorted(response.themes, key=lambda t: -t.priority) if t.stance in ("offer", "both")
        ]
        entries.append(
            Entry(
                response.collectivite,
                response.language,
                offered,
                response.description or "",
                concepts_in(response.description or ""),
            )
        )
    return entries


def render_booklet_pdf(theme: str | None, entries: list[Entry]) -> bytes:
    """The booklet as PDF bytes (A4, Noto CJK for Hangul)."""
    from weasyprint import CSS, HTML

    def refuse(url, *args, **kwargs):
        raise ValueError(f"the booklet fetches nothing: {url}")

    html = render_template("outreach/booklet_print.html", theme=theme, entries=entries, codes=codes)
    css = (Path(current_app.static_folder) / STYLESHEET).read_text(encoding="utf-8")
    return HTML(string=html, url_fetcher=refuse).write_pdf(stylesheets=[CSS(string=css, url_fetcher=refuse)])
