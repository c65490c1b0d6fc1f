"""One way to compare text typed by people, in French, Korean or English: for keywords, names and queries.

:func:`normalise_latin` lowercases and strips the accents of Latin letters (ligatures too: "Cœur" → "coeur"),
leaving Hangul and every other script as typed; decomposing Hangul would split syllables into jamo, and "구로"
would no longer be found in "구로구". The taxonomy's keywords, the matching library's concepts and TF-IDF words,
and the search keys of names all go through it.

For names, "issy les moulineaux", "ISSY-LES-MOULINEAUX" and "Issy‑les‑Moulineaux" are one name; so are
"Saint Mande" and "Saint-Mandé", "auvergne rhône alpes" and "Auvergne-Rhône-Alpes", "Côte d’Or" and "cote d'or":
case, Latin accents and ligatures, full-width letters, hyphens, apostrophes, punctuation and spaces do not count.
:func:`fold` keeps word boundaries (the questionnaire's autocomplete ranks word starts); :func:`search_key` drops
them (stored in ``Collectivite.name_key``; the staff search, the import's duplicate detection and the matching
library's partner keys compare it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

KEY_LENGTH = 200  # Collectivite.name_key

# Latin letters with no decomposable accent that still fold to plain ASCII
_LATIN_FOLDS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
# Runs of characters that may change: neither ASCII nor Hangul syllables (most of a text is one or the other)
_FOLDABLE = re.compile(r"[^\x00-\x7f\uac00-\ud7a3]+")
# Runs outside Hangul (syllables and jamo), where compatibility forms (full-width letters, ligatures) unfold
_NOT_HANGUL = re.compile(r"[^\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]+")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> tuple[str, bool]:
    """Fold one lowercase character: (folded text, whether it is a Latin letter)."""
    if "\uac00" <= char <= "\ud7a3" or not unicodedata.name(char, "").startswith("LATIN "):
        return char, False  # Hangul and every other script stay as they are
    bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return _LATIN_FOLDS.get(bare, bare), True


def _fold_run(match: re.Match) -> str:
    start = match.start()
    before = match.string[start - 1] if start else ""  # ASCII or a Hangul syllable: Latin when an ASCII letter
    after_latin = before.isascii() and before.isalpha()
    out = []
    for char in match.group():
        if unicodedata.combining(char):
            if not after_latin:
                out.append(char)  # a mark on a non-Latin letter belongs to that script
            continue
        folded, after_latin = _fold_char(char)
        out.append(folded)
    return "".join(out)


@lru_cache(maxsize=1 << 17)  # the matching library reads each description several times (concepts, TF-IDF)
def normalise_latin(text: str) -> str:
    """Lowercase and strip accents from Latin letters only, leaving Hangul syllables and other scripts intact.

    Decomposition is done one character at a time: NFD on a whole text would split Hangul syllables into jamo.
    The text is first composed (NFC), so Korean typed as separate jamo (macOS) becomes syllables and Latin
    letters followed by combining accents become single letters. Only the runs that are neither ASCII nor
    Hangul syllables are looked at character by character: it runs over every description of a matching run.
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFC", text).lower()
    return _FOLDABLE.sub(_fold_run, text)


def fold(text: str | None) -> str:
    """Lower case, Latin accents removed, every run of separators one space; Hangul as typed."""
    text = text or ""
    if not text.isascii():
        text = _NOT_HANGUL.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return " ".join(_NOT_WORD.sub(" ", normalise_latin(text)).split())


def search_key(text: str | None) -> str:
    """The comparison key of a name or a query: :func:`fold` without the spaces ("issylesmoulineaux")."""
    return fold(text).replace(" ", "")[:KEY_LENGTH]
