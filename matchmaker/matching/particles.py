"""Korean particles after a name: 은/는, 이/가, 을/를, 와/과, (으)로 chosen from how the name ends when read aloud.

A Korean particle depends on the last sound of the word before it: 마포구는, 구로구와, 서울로 but 종로구는,
성남시는, 성남시와, 인천으로. Messages write the particle in its double form after a placeholder
("%(partner)s와(과)", "{offerer}은(는)"); :func:`resolve_particles` replaces each double form, once the names are
in, by the one a person would write. :func:`particle` and :func:`attach` do the same for one word (also the
Jinja filter ``josa``).

It lives in the matching library because the reasons of a suggestion are rendered in Korean too
(reasons.py); the app's messages (matchmaker.i18n) import it from here.

How a name ends (:func:`final_sound`) — one of ``VOWEL``, ``RIEUL`` (ㄹ, which takes 로 like a vowel) or
``CONSONANT``:

* Hangul: the last syllable's final consonant (받침): none → vowel, ㄹ → rieul, any other → consonant.
* Digits: read as a Sino-Korean number: 1 일, 7 칠, 8 팔 end in ㄹ; 0 영, 3 삼, 6 육, 10 십, 100 백,
  1000 천, 10000 만 end in a consonant; 2 이, 4 사, 5 오, 9 구 in a vowel.
* Latin letters (French names and romanised Korean names), as Korean writes them (외래어 표기법):
  - an acronym of up to three capitals (CUF, EPCI) is read letter by letter: L → ㄹ (엘), M and N → consonant
    (엠, 엔), any other letter → vowel (씨유에프);
  - otherwise the last word is read as a word. French silent endings are dropped first: a final s, x or z,
    then a final t, d or g after a vowel, n or r (Paris → pari, Billancourt → billancour, Saint → sain,
    Strasbourg → strasbour, Le Mans → man);
  - a final mute e: -eille, -aille, -ouille, -euille and -gne end in a vowel (Marseille 마르세유, Boulogne
    불로뉴); -le/-lle in ㄹ (Lille 릴, Grenoble 그르노블); -ne/-nne/-me/-mme in a consonant (Rennes 렌,
    Nîmes 님); any other consonant + e in a vowel (Nantes 낭트, Nice 니스);
  - l → ㄹ (Seoul 서울); n, m, ng → consonant (Busan 부산, Lyon 리옹, Sejong 세종); k, c, q, p, b after a vowel
    → consonant (RR -k/-p: 북, 합); any other consonant letter (r, s, t, f, v, x, z, h, j, g) → vowel, as
    Korean adds 으 after it (Brest 브레스트); vowel letters and y, w → vowel.
"""

from __future__ import annotations

import re
import unicodedata

VOWEL, RIEUL, CONSONANT = "vowel", "rieul", "consonant"

# each particle: (form after a consonant, form after a vowel, form after ㄹ)
_PARTICLES = {
    "topic": ("은", "는", "은"),
    "subject": ("이", "가", "이"),
    "object": ("을", "를", "을"),
    "and": ("과", "와", "과"),
    "towards": ("으로", "로", "로"),
}
_BY_FORM = {form: kind for kind, forms in _PARTICLES.items() for form in forms}
# the double forms a message may write after a placeholder
_DOUBLE_FORMS = {
    "은(는)": "topic",
    "는(은)": "topic",
    "이(가)": "subject",
    "가(이)": "subject",
    "을(를)": "object",
    "를(을)": "object",
    "와(과)": "and",
    "과(와)": "and",
    "(으)로": "towards",
}
_DOUBLE = re.compile("|".join(re.escape(form) for form in _DOUBLE_FORMS))
_CLOSING = "\"'’”»›」』)]）>"  # quotes and brackets after a name: the particle follows what is inside
_MARKUP_END = re.compile(r"(?:<[^<>]*>|&#?\w+;)$")
_LATIN_WORD = re.compile(r"[^\W\d_]+$")
_DIGITS = re.compile(r"\d+$")
_VOWEL_LETTERS = set("aeiouyw")


def _hangul_sound(ch: str) -> str | None:
    code = ord(ch) - 0xAC00
    if 0 <= code < 11172:
        final = code % 28
        return VOWEL if final == 0 else RIEUL if final == 8 else CONSONANT
    if 0x3131 <= ord(ch) <= 0x314E:  # a compatibility jamo consonant typed alone (ㄱ … ㅎ)
        return RIEUL if ch == "ㄹ" else CONSONANT
    return None


def _number_sound(digits: str) -> str:
    """The last sound of a number read in Sino-Korean (일, 이, 삼 … 십, 백, 천, 만)."""
    digits = digits.lstrip("0") or "0"
    if digits == "0":
        return CONSONANT  # 영
    if digits.endswith("0"):
        return CONSONANT  # 십, 백, 천, 만, 억
    return {"1": RIEUL, "7": RIEUL, "8": RIEUL, "3": CONSONANT, "6": CONSONANT}.get(digits[-1], VOWEL)


def _ascii_letters(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _latin_sound(word: str) -> str:
    """The last sound of a Latin-script word as Korean writes it (rules in the module docstring)."""
    if len(word) <= 3 and word.isupper():
        return RIEUL if word[-1] == "L" else CONSONANT if word[-1] in "MN" else VOWEL
    w = _ascii_letters(word).lower().replace("œ", "oe").replace("æ", "ae")
    if len(w) > 2 and w[-1] in "sxz":
        w = w[:-1]
    if len(w) > 2 and w[-1] in "tdg" and (w[-2] in _VOWEL_LETTERS or w[-2] in "nr") and not w.endswith("ng"):
        w = w[:-1]
    if w.endswith("e") and len(w) > 2 and w[-2] not in _VOWEL_LETTERS:
        if w.endswith(("eille", "aille", "ouille", "euille", "gne")):
            return VOWEL
        return RIEUL if w[-2] == "l" else CONSONANT if w[-2] in "nm" else VOWEL
    last = w[-1:]
    if not last or last in _VOWEL_LETTERS:
        return VOWEL
    if last == "l":
        return RIEUL
    if last in "nm" or w.endswith("ng"):
        return CONSONANT
    if last in "kcqpb" and len(w) > 1 and w[-2] in _VOWEL_LETTERS:
        return CONSONANT
    return VOWEL


def final_sound(text: str) -> str | None:
    """How ``text`` ends when read aloud: VOWEL, RIEUL or CONSONANT; None when it ends in nothing readable."""
    text = str(text)
    while True:  # what closes a name (quotes, brackets, HTML tags and entities) is not read aloud
        stripped = _MARKUP_END.sub("", text.rstrip()).rstrip(_CLOSING)
        if stripped == text:
            break
        text = stripped
    if not text:
        return None
    sound = _hangul_sound(text[-1])
    if sound:
        return sound
    digits = _DIGITS.search(text)
    if digits:
        return _number_sound(digits.group())
    word = _LATIN_WORD.search(text)
    if word:
        return _latin_sound(word.group())
    return None


def particle(word: str, form: str) -> str:
    """The particle ``form`` (any of its spellings: 은, 는, 은(는), (으)로 …) as it is written after ``word``."""
    kind = _DOUBLE_FORMS.get(form) or _BY_FORM.get(form)
    if kind is None:
        raise ValueError(f"unknown particle {form!r}")
    after_consonant, after_vowel, after_rieul = _PARTICLES[kind]
    sound = final_sound(word)
    if sound == VOWEL:
        return after_vowel
    if sound == RIEUL:
        return after_rieul
    return after_consonant  # a consonant, or nothing readable: the consonant form reads as written Korean


def attach(word: str, form: str) -> str:
    """``word`` followed by the particle ``form`` as it is written after it: attach("마포구", "은") == "마포구는"."""
    return f"{word}{particle(word, form)}"


def resolve_particles(text: str) -> str:
    """Replace every double particle ("은(는)", "와(과)", "(으)로" …) by the form the word before it takes."""
    if "(" not in text:
        return text
    out, last = [], 0
    for match in _DOUBLE.finditer(text):
        out.append(text[last : match.start()])
        out.append(particle(text[: match.start()], match.group()))
        last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)
