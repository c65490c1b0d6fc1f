"""Every message of the code and templates is translated into French and Korean, with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from matchmaker.i18n import catalog_dirs

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}, "**.txt": {"extensions": "jinja2.ext.i18n"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def used_messages() -> dict[str, str]:
    """msgid -> where it is used, for the package and the templates."""
    found = {}
    for folder in ("matchmaker", "templates"):
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, METHOD_MAP, OPTIONS, keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message  # plural forms are keyed by the singular
            if msgid:
                found.setdefault(msgid, f"{folder}/{filename}")
    return found


def translations(lang: str) -> dict[str, str]:
    merged = {}
    for directory in catalog_dirs():
        path = directory / lang / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as fh:
                for message in read_po(fh, locale=lang):
                    if message.id and message.string and not message.fuzzy:
                        key = message.id if isinstance(message.id, str) else message.id[0]
                        value = message.string if isinstance(message.string, str) else message.string[0]
                        merged.setdefault(key, value)
    return merged


@pytest.mark.parametrize("lang", ["fr", "ko"])
def test_every_message_is_translated(lang):
    done = translations(lang)
    missing = {msgid: where for msgid, where in used_messages().items() if msgid not in done}
    assert missing == {}


@pytest.mark.parametrize("lang", ["fr", "ko"])
def test_translations_keep_their_placeholders(lang):
    wrong = {
        msgid: text
        for msgid, text in translations(lang).items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert wrong == {}


def test_korean_sentences_are_written_in_hangul():
    """Brand names and codes may stay in Latin letters; a sentence of three words or more must not."""
    untranslated = {
        msgid: text
        for msgid, text in translations("ko").items()
        if len(msgid.split()) >= 3 and not re.search(r"[\uac00-\ud7a3]", text)
    }
    assert untranslated == {}
