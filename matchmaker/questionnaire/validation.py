"""Validation of a questionnaire record: the single rule book of the web form AND of file import.

``validate_record(record, lang)`` takes what a person typed or a file held (strings, numbers, lists, JSON
cells …) and returns ``(clean, errors)``: ``clean`` is the normalised record, ``errors`` maps a field name
(``themes.<code>`` for one theme) to a message in ``lang``. No database, no request: the same call gives the
same answer in a view, in ``matchmaker import`` and in a test.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from typing import Any, Callable, Mapping

from flask_babel import force_locale
from flask_babel import gettext as _

from matchmaker import reference
from matchmaker.questionnaire import codes
from matchmaker.questionnaire.record import (
    BOOL_FIELDS,
    DEFAULT_DIGEST_FREQUENCY,
    DIGEST_FREQUENCIES,
    FIELDS,
    MAX_LENGTH,
    MAX_PARTNER_LENGTH,
    MAX_PARTNERS,
    MAX_POPULATION,
    REQUIRED_FIELDS,
    empty_record,
)
from matchmaker.vocabulary import COUNTRIES, LANGUAGES, STANCES, known_language

PRIORITIES = (1, 2, 3)
TRUE_WORDS = {"true", "1", "oui", "예", "yes", "vrai", "on", "y", "o", "네"}
FALSE_WORDS = {"false", "0", "non", "아니오", "no", "faux", "off", "n", "아니요", ""}
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
PARTNER_CODE_RE = re.compile(r"^\s*(FR|KR)\s*:\s*([0-9A-Za-z]{2,16})\s*$", re.IGNORECASE)
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+$")

#: Official code formats per level: INSEE codes (communes, départements, régions), SIREN (intercommunalities),
#: Korean administrative codes (2 digits for 시·도, 5 for 시·군·구).
CODE_FORMATS = {
    "region": re.compile(r"^\d{2}$"),
    "departement": re.compile(r"^(\d{2}|2[AB]|97\d)$"),
    "commune": re.compile(r"^(\d{5}|2[AB]\d{3})$"),
    "arrondissement": re.compile(r"^\d{5}$"),
    "metropole": re.compile(r"^\d{9}$"),
    "epci": re.compile(r"^\d{9}$"),
    "special_city": re.compile(r"^\d{2}$"),
    "metropolitan_city": re.compile(r"^\d{2}$"),
    "special_autonomous_city": re.compile(r"^\d{2}$"),
    "province": re.compile(r"^\d{2}$"),
    "special_autonomous_province": re.compile(r"^\d{2}$"),
    "si": re.compile(r"^\d{5}$"),
    "gun": re.compile(r"^\d{5}$"),
    "gu": re.compile(r"^\d{5}$"),
}


class _Invalid(Exception):
    """A value cannot be accepted; carries the localised message."""


def validate_record(
    record: Mapping[str, Any], lang: str = "en", *, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check and normalise a record; return ``(clean, errors)`` with messages in ``lang``.

    With ``partial=True`` (drafts, one step of the form) missing fields are not errors and ``clean`` holds
    only the fields that were given and valid; otherwise ``clean`` has every field.
    """
    with force_locale(known_language(lang, "en")):
        return _validate(record, partial)


def _validate(record: Mapping[str, Any], partial: bool) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if not isinstance(record, Mapping):
        return ({} if partial else empty_record()), {"record": _("Each row must be an object with named fields.")}
    for key in record:
        if key not in FIELDS:
            errors[str(key)[:60]] = _("Unknown field. Known fields: %(fields)s.", fields=", ".join(FIELDS))

    def run(name: str, parse: Callable[[Any], Any]) -> None:
        if name not in record:
            return
        try:
            clean[name] = parse(record[name])
        except _Invalid as exc:
            errors[name] = str(exc)

    for name in ("name", "name_local", "region", "contact_name", "contact_role"):
        run(name, lambda v, n=name: _line(v, n))
    run("country", _country)
    run("level", _level_code)
    run("code", _code_text)
    run("population", _population)
    run("contact_email", _email)
    run("language", _language)
    run("digest_frequency", _digest_frequency)
    run("description", _description)
    for name in BOOL_FIELDS:
        run(name, _boolean)
    run("sectors", lambda v: _codes(v, codes.sector_codes(), _("Unknown sector code: %(codes)s.")))
    run(
        "cooperation_kinds",
        lambda v: _codes(v, codes.cooperation_kind_codes(), _("Unknown kind of cooperation: %(codes)s.")),
    )
    run(
        "working_languages", lambda v: _codes(v, codes.working_language_codes(), _("Unknown language code: %(codes)s."))
    )
    run("partner_levels", lambda v: _codes(v, codes.level_codes(), _("Unknown level code: %(codes)s.")))
    run("existing_partners", _partners)
    if "themes" in record:
        themes, theme_errors = _themes(record["themes"])
        errors.update(theme_errors)
        if not any(k == "themes" for k in theme_errors):
            clean["themes"] = themes

    _cross_checks(clean, errors)
    if not partial:
        _required(clean, errors)
        full = empty_record()
        full["digest_frequency"] = DEFAULT_DIGEST_FREQUENCY
        full.update({k: v for k, v in clean.items() if v is not None or k not in full})
        clean = full
    return clean, errors


# --- single fields ----------------------------------------------------------------------------------------


def _text(value: Any, *, multiline: bool = False) -> str | None:
    """A string with controls removed (newlines kept when ``multiline``), stripped; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise _Invalid(_("Enter text here."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid(_("This text contains characters that cannot be stored.")) from None
    if "\x00" in text:  # removing it would change the text silently (an address would become another)
        raise _Invalid(_("This text contains a NUL character, which cannot be stored. Remove it."))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    keep = "\n\t" if multiline else ""
    if not multiline:
        text = text.replace("\t", " ").replace("\n", " ")
    text = "".join(ch for ch in text if ch in keep or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    else:
        text = " ".join(text.split())
    return text or None


def _limit(text: str | None, name: str) -> str | None:
    limit = MAX_LENGTH[name]
    if text is not None and len(text) > limit:
        raise _Invalid(
            _("This text is too long: %(count)s characters for at most %(limit)s.", count=len(text), limit=limit)
        )
    return text


def _line(value: Any, name: str) -> str | None:
    return _limit(_text(value), name)


def _description(value: Any) -> str | None:
    return _limit(_text(value, multiline=True), "description")


def _country(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.upper() not in COUNTRIES:
        raise _Invalid(_("Choose France (FR) or Korea (KR)."))
    return text.upper()


def _level_code(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() not in codes.level_codes():
        raise _Invalid(_("Unknown level. Choose one of: %(codes)s.", codes=", ".join(codes.level_codes())))
    return text.lower()


def _code_text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if text is None:
        return None
    text = text.replace(" ", "").upper()
    if len(text) > MAX_LENGTH["code"] or not text.isalnum() or not text.isascii():
        raise _Invalid(_("An official code has only letters and digits (e.g. 92040 or 11530)."))
    return text


def _population(value: Any) -> int | None:
    message = _("Enter the population as a positive whole number (e.g. 68000).")
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Invalid(message)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise _Invalid(message)
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _GROUPED_NUMBER.match(text):
            text = re.sub(r"\D", "", text)
        if not (text.isascii() and text.isdigit()):
            raise _Invalid(message)
        value = int(text)
    if not isinstance(value, int) or value <= 0:
        raise _Invalid(message)
    if value > MAX_POPULATION:
        raise _Invalid(
            _(
                "A population over %(limit)s is not plausible; please check it.",
                limit=f"{MAX_POPULATION:,}".replace(",", " "),
            )
        )
    return value


def _email(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if len(text) > MAX_LENGTH["contact_email"] or not EMAIL_RE.match(text):
        raise _Invalid(_("Enter a valid email address, like name@example.org."))
    local, _sep, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _language(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() not in LANGUAGES:
        raise _Invalid(_("Choose French (fr), Korean (ko) or English (en)."))
    return text.lower()


def _digest_frequency(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() not in DIGEST_FREQUENCIES:
        raise _Invalid(_("Choose weekly, monthly or never."))
    return text.lower()


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Invalid(_("Answer yes or no (true/false, 1/0, oui/non, 예/아니오)."))


def _items(value: Any) -> list[str]:
    """A list field as a list of strings: a list, a JSON array in a cell, or text joined with ';'."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise _Invalid(_("This cell starts like a JSON list but is not valid JSON.")) from None
            if not isinstance(value, list):
                raise _Invalid(_("Give a list of values separated by ';'."))
        else:
            value = text.split(";")
    if not isinstance(value, (list, tuple)):
        raise _Invalid(_("Give a list of values separated by ';'."))
    items = []
    for item in value:
        if isinstance(item, (list, dict, bool)) or item is None:
            raise _Invalid(_("Give a list of values separated by ';'."))
        text = _text(item)
        if text and text not in items:
            items.append(text)
    return items


def _codes(value: Any, known: tuple[str, ...], unknown_message: str) -> list[str]:
    items = [item.lower() for item in _items(value)]
    unknown = [item for item in items if item not in known]
    if unknown:
        raise _Invalid(unknown_message % {"codes": ", ".join(f"«{u[:40]}»" for u in unknown[:5])})
    return list(dict.fromkeys(items))


def _partners(value: Any) -> list[str]:
    partners = []
    for item in _items(value):
        match = PARTNER_CODE_RE.match(item)
        if match:
            item = f"{match.group(1).upper()}:{match.group(2).upper()}"
        elif len(item) > MAX_PARTNER_LENGTH:
            raise _Invalid(_("A partner's name is too long (at most %(limit)s characters).", limit=MAX_PARTNER_LENGTH))
        if item not in partners:
            partners.append(item)
    if len(partners) > MAX_PARTNERS:
        raise _Invalid(_("List at most %(limit)s existing partners.", limit=MAX_PARTNERS))
    return partners


def _themes(value: Any) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Themes from a mapping, a JSON cell, or ``code:priority:stance`` items; errors per theme."""
    errors: dict[str, str] = {}
    if value is None or value == "":
        return {}, errors
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("{", "[")):
            try:
                value = json.loads(text)
            except ValueError:
                return {}, {"themes": _("This cell starts like JSON but is not valid JSON.")}
        else:
            value = {}
            for item in filter(None, (part.strip() for part in text.split(";"))):
                parts = [p.strip() for p in item.split(":")]
                if len(parts) != 3:
                    return {}, {"themes": _("Write each theme as code:priority:stance, e.g. smart_city:3:offer.")}
                value[parts[0]] = {"priority": parts[1], "stance": parts[2]}
    if isinstance(value, list):
        as_map: dict[Any, Any] = {}
        for item in value:
            if not isinstance(item, Mapping) or "code" not in item:
                return {}, {"themes": _("Give the themes as an object: code → priority and stance.")}
            as_map[item["code"]] = item
        value = as_map
    if not isinstance(value, Mapping):
        return {}, {"themes": _("Give the themes as an object: code → priority and stance.")}
    known = codes.theme_codes()
    unknown = [str(code)[:40] for code in value if str(code).strip().lower() not in known]
    if unknown:
        return {}, {"themes": _("Unknown theme code: %(codes)s.", codes=", ".join(f"«{u}»" for u in unknown[:5]))}
    themes: dict[str, dict[str, Any]] = {}
    for raw_code, answer in value.items():
        code = str(raw_code).strip().lower()
        if not isinstance(answer, Mapping):
            errors[f"themes.{code}"] = _("Give a priority (1 to 3) and a stance (offer, seek or both).")
            continue
        priority = answer.get("priority")
        if priority in (None, "", "0", 0):
            continue  # "not interested": a stance alone is ignored
        if isinstance(priority, str) and priority.strip() in ("1", "2", "3"):
            priority = int(priority.strip())
        if isinstance(priority, float) and priority.is_integer():
            priority = int(priority)
        if isinstance(priority, bool) or priority not in PRIORITIES:
            errors[f"themes.{code}"] = _("The priority must be 1, 2 or 3.")
            continue
        stance = answer.get("stance")
        stance = stance.strip().lower() if isinstance(stance, str) else stance
        if stance in (None, ""):
            errors[f"themes.{code}"] = _("Say whether you can share experience, want to learn, or both.")
            continue
        if stance not in STANCES:
            errors[f"themes.{code}"] = _("The stance must be offer, seek or both.")
            continue
        themes[code] = {"priority": priority, "stance": stance}
    return dict(sorted(themes.items())), errors


# --- rules across fields ----------------------------------------------------------------------------------


def _cross_checks(clean: dict[str, Any], errors: dict[str, str]) -> None:
    """Level against country, code against level and the reference lists, partner levels against country."""
    country, level, code = clean.get("country"), clean.get("level"), clean.get("code")
    if country and level and "level" not in errors:
        allowed = codes.level_codes(country)
        if level not in allowed:
            errors["level"] = _(
                "«%(level)s» is not a level of %(country)s. Choose one of: %(codes)s.",
                level=codes.level_label(level),
                country=codes.country_label(country),
                codes=", ".join(codes.level_label(c) for c in allowed),
            )
    if country and level and code and not {"level", "code"} & set(errors):
        fmt = CODE_FORMATS.get(level)
        known = reference.find(country, code, level)
        if known is None:
            other = reference.find(country, code)
            if other is not None:
                errors["code"] = _(
                    "Code %(code)s is the code of %(name)s, which is a %(level)s, not a %(wanted)s.",
                    code=code,
                    name=other.name,
                    level=codes.level_label(other.level),
                    wanted=codes.level_label(level),
                )
            elif fmt is not None and not fmt.match(code):
                errors["code"] = _(
                    "This does not look like the official code of a %(level)s (%(example)s).",
                    level=codes.level_label(level),
                    example=_code_example(level),
                )
    partner_levels = clean.get("partner_levels")
    if country and partner_levels and "partner_levels" not in errors:
        wrong = [lv for lv in partner_levels if lv not in codes.level_codes("KR" if country == "FR" else "FR")]
        if wrong:
            errors["partner_levels"] = _(
                "Choose levels of the other country; not %(codes)s.",
                codes=", ".join(codes.level_label(lv) for lv in wrong),
            )


def _code_example(level: str) -> str:
    examples = {
        "region": "11",
        "departement": "92",
        "commune": "92040",
        "arrondissement": "75101",
        "metropole": "200054781",
        "epci": "200054781",
        "si": "41110",
        "gun": "51720",
        "gu": "11530",
    }
    return _("e.g. %(example)s", example=examples.get(level, "11"))


#: A response with no theme ticked is accepted when its presentation names at least this many topics
#: (distinct content words, see presentation_topics): Korean says in 25 characters what French says in 80,
#: so characters are not the measure.
MIN_TEXT_ONLY_TOPICS = 4
_WORD = re.compile(r"[^\W\d_]+")
_HANGUL_OR_CJK = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]")
# Function words of French and English, and words any local government says of itself, that name no topic
# (Korean particles attach to their noun).
_FUNCTION_WORDS = frozenset(
    """
les des une dans par pour avec sur aux ses son sont est nous notre nos vous votre vos leur leurs qui que quoi
dont plus mais ont été être fait faire comme aussi très ainsi entre cette ces cet elle ils elles depuis avons
sommes bonjour merci madame monsieur the and for with our are this that from has have its their which who was
were been will would can into also more than they them such other these those all hello thanks dear
ville villes city town commune communes collectivité collectivités territoire habitants inhabitants
""".split()
)


def presentation_topics(text: str) -> int:
    """How many distinct content words a presentation has: Hangul or CJK words of 2+ characters, other
    words of 3+ letters that are not function words (a measure of content that holds across scripts)."""
    topics = set()
    for word in _WORD.findall((text or "").casefold()):
        if _HANGUL_OR_CJK.search(word):
            if len(word) >= 2:
                topics.add(word)
        elif len(word) >= 3 and word not in _FUNCTION_WORDS:
            topics.add(word)
    return len(topics)


def _required(clean: dict[str, Any], errors: dict[str, str]) -> None:
    """Fields needed to submit, each with a message saying what to do."""
    messages = {
        "name": _("Enter the name of your local government."),
        "country": _("Choose France (FR) or Korea (KR)."),
        "level": _("Choose the level of your local government."),
        "contact_name": _("Enter the name of the contact person."),
        "contact_email": _("Enter the contact's email address."),
        "language": _("Choose the language you want us to write to you in."),
        "themes": _(
            "Choose at least one theme with its priority, or present your local government in the presentation step."
        ),
        "consent_contact": _(
            "Tick this box so that we can contact you about partners: without it we cannot introduce you."
        ),
        "consent_share": _(
            "Tick this box so that the other country's association can see your profile: "
            "partners are suggested only between the two countries."
        ),
    }
    for name in REQUIRED_FIELDS:
        if name in errors or any(key.startswith(name + ".") for key in errors):
            continue
        if name == "themes" and presentation_topics(clean.get("description") or "") >= MIN_TEXT_ONLY_TOPICS:
            continue  # a real presentation is enough: the matching engine reads themes from the text
        if not clean.get(name):
            errors[name] = messages[name]
            if name == "themes" and (clean.get("description") or "").strip():
                errors[name] = _(
                    "Your presentation is too short to suggest partners from it: name at least four topics "
                    "(for example “marine tourism, fisheries, port logistics, youth exchanges”), "
                    "or choose at least one theme."
                )
