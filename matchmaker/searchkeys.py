"""One way to compare names typed by people: the stored search keys and every query go through it.

"issy les moulineaux", "ISSY-LES-MOULINEAUX" and "Issy‑les‑Moulineaux" are one name; so are "Saint Mande" and
"Saint-Mandé", "auvergne rhône alpes" and "Auvergne-Rhône-Alpes", "Côte d’Or" and "cote d'or". Case, Latin accents
and ligatures, hyphens, apostrophes, punctuation and spaces do not count. Hangul is kept as typed: decomposing it
would split syllables into jamo, and "구로" would no longer be found in "구로구".

:func:`fold` keeps word boundaries (the questionnaire's autocomplete ranks word starts); :func:`search_key` drops
them (stored in ``Collectivite.name_key``; the staff search and the import's duplicate detection compare it).
"""
from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
# Latin letters with no decomposable accent that still fold to plain ASCII
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
KEY_LENGTH = 200  # Collectivite.name_key


def _is_hangul(ch: str) -> bool:
    cp = ord(ch)
    return (0xAC00 <= cp <= 0xD7A3 or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F
            or 0xA960 <= cp <= 0xA97F or 0xD7B0 <= cp <= 0xD7FF)


def _unaccented(ch: str) -> str:
    if _is_hangul(ch):
        return ch
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def fold(text: str | None) -> str:
    """Lower case, Latin accents removed, every run of separators one space; Hangul as typed."""
    text = unicodedata.normalize("NFC", text or "").casefold().translate(_LIGATURES)
    if not text.isascii():
        text = "".join(_unaccented(ch) for ch in text).casefold().translate(_LIGATURES)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def search_key(text: str | None) -> str:
    """The comparison key of a name or a query: :func:`fold` without the spaces ("issylesmoulineaux")."""
    return fold(text).replace(" ", "")[:KEY_LENGTH]
