"""The catalogs, the taxonomy, the levels and the reasons use the terms of docs/glossary.md, and French typography."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from matchmaker.matching import reasons

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
LANGS = {"English": "en", "Français": "fr", "한국어": "ko"}


def glossary_tables() -> dict[str, list[dict[str, str]]]:
    """Each '## section' table of the glossary as a list of rows (column name -> cell)."""
    tables: dict[str, list[dict[str, str]]] = {}
    section, header = None, None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section, header = line[3:].strip(), None
        elif line.startswith("|") and section:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not set("".join(cells)) <= set("-: "):
                tables.setdefault(section, []).append(dict(zip(header, cells)))
    return tables


def catalog_strings(lang: str) -> dict[str, set[str]]:
    """msgid -> the translations it has in the catalogs of ``lang`` (one per area; plural forms joined by " | ")."""
    found: dict[str, set[str]] = defaultdict(set)
    for po in sorted(ROOT.glob(f"matchmaker/*/translations/{lang}/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    found[key].add(" | ".join(s for s in strings if s))
    return found


def texts(lang: str) -> list[str]:
    """Every text a reader of ``lang`` can see: translations (message ids for English), data labels, reasons."""
    if lang == "en":
        out = list(catalog_strings("fr"))
    else:
        out = [s for strings in catalog_strings(lang).values() for s in strings]
    taxonomy = json.loads((ROOT / "data" / "taxonomy.json").read_text(encoding="utf-8"))
    for kind in taxonomy.values():
        for entry in kind if isinstance(kind, list) else kind.values():
            if isinstance(entry, dict) and "label" in entry:
                out.append(entry["label"][lang])
    levels = json.loads((ROOT / "data" / "levels.json").read_text(encoding="utf-8"))["levels"]
    out += [level["label"][lang] for level in levels]
    out += list(reasons._PHRASES[lang].values())
    return out


TABLES = glossary_tables()


def test_the_glossary_has_its_tables():
    assert {
        "Associations and the service",
        "Steps of the questionnaire",
        "Levels",
        "Themes",
        "Words not to write",
    } <= set(TABLES)
    assert len(TABLES["Themes"]) == 22 and len(TABLES["Levels"]) == 14


@pytest.mark.parametrize(
    "section",
    ["Associations and the service", "Steps of the questionnaire", "Words of the questionnaire and the review"],
)
@pytest.mark.parametrize("language", list(LANGS))
def test_every_glossary_term_is_used(section, language):
    lang = LANGS[language]
    seen = "\n".join(texts(lang))
    missing = [row[language] for row in TABLES[section] if row[language] not in seen]
    assert not missing, f"{language} terms of '{section}' used nowhere: {missing}"


@pytest.mark.parametrize("section, kind", [("Themes", "themes"), ("Stances", "stances")])
def test_taxonomy_labels_are_the_glossary_terms(section, kind):
    taxonomy = json.loads((ROOT / "data" / "taxonomy.json").read_text(encoding="utf-8"))
    for row in TABLES[section]:
        code = row.get("Code")
        entry = next(
            e
            for e in (
                taxonomy[kind]
                if isinstance(taxonomy[kind], list)
                else [dict(v, code=k) for k, v in taxonomy[kind].items()]
            )
            if str(e["code"]) == code
        )
        assert {lang: entry["label"][lang] for lang in LANGS.values()} == {
            lang: row[language] for language, lang in LANGS.items()
        }, code


def test_level_labels_are_the_glossary_terms():
    levels = {
        level["code"]: level["label"]
        for level in json.loads((ROOT / "data" / "levels.json").read_text(encoding="utf-8"))["levels"]
    }
    for row in TABLES["Levels"]:
        assert levels[row["Code"]] == {lang: row[language] for language, lang in LANGS.items()}, row["Code"]
        # a French or English reader is not given Hangul
        assert not re.search(r"[\uac00-\ud7a3]", levels[row["Code"]]["fr"] + levels[row["Code"]]["en"])


def test_no_text_uses_a_word_the_glossary_rules_out():
    by_lang = {lang: texts(lang) for lang in ("fr", "ko")}
    for row in TABLES["Words not to write"]:
        bad = [text for text in by_lang[row["Language"]] if row["Not"] in text]
        assert not bad, f"{row['Language']}: write {row['Write']!r}, not {row['Not']!r}: {bad[:3]}"


@pytest.mark.parametrize("lang", ["fr", "ko"])
def test_one_message_has_one_translation_in_every_area(lang):
    differing = {msgid: strings for msgid, strings in catalog_strings(lang).items() if len(strings) > 1}
    assert not differing


def test_french_typography():
    """A non-breaking space before : (narrow before ; ? !), the typographic apostrophe, French quotes with spaces."""
    for text in texts("fr"):
        assert not re.search(r"(?<![\u00a0\u202f])[;:!?](?=\s|$)", text), text
        assert not re.search(r"\w'\w", text), text
        assert "« " not in text and " »" not in text, text
