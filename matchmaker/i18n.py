"""Languages of the service (French default, Korean, English): locale choice and message catalogs.

Message ids are English. Each area keeps its own catalog (``<area>/translations/<lang>/LC_MESSAGES/messages.po``)
so several people can translate at once; Flask-Babel merges all the directories. The ``.po`` files are the
source of truth and are compiled to ``.mo`` in the instance folder when the app starts (only when stale).
"""
from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request, session

LANGUAGES = ("fr", "ko", "en")
DEFAULT_LANGUAGE = "fr"
TIMEZONES = {"fr": "Europe/Paris", "ko": "Asia/Seoul", "en": "Europe/Paris"}
PACKAGE_DIR = Path(__file__).resolve().parent


def catalog_dirs() -> list[Path]:
    """Every ``translations`` directory of the package (one per area)."""
    return sorted(p for p in PACKAGE_DIR.rglob("translations") if p.is_dir())


def compile_catalogs(dest_root: Path) -> list[str]:
    """Compile every area's .po files into ``dest_root/<n>/``; return the directories for Flask-Babel."""
    out = []
    for n, src in enumerate(catalog_dirs()):
        dest = dest_root / f"{n:02d}-{src.parent.name}"
        for po in src.glob("*/LC_MESSAGES/*.po"):
            mo = dest / po.relative_to(src).with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parts[-3])
            tmp = mo.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            os.replace(tmp, mo)  # atomic: several workers may start at once
        out.append(str(dest))
    return out


def select_locale() -> str:
    """Pick the language: URL (view argument or ?lang=), then the saved choice, then the staff user's, then the browser."""
    lang = (request.view_args or {}).get("lang") or request.args.get("lang")
    if lang in LANGUAGES:
        if session.get("lang") != lang:
            session["lang"] = lang
        return lang
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    user_lang = getattr(g, "user_language", None)
    if user_lang in LANGUAGES:
        return user_lang
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def select_timezone() -> str:
    """Dates shown in Seoul time to Korean readers, Paris time otherwise."""
    from flask_babel import get_locale

    return TIMEZONES.get(str(get_locale()), current_app.config["BABEL_DEFAULT_TIMEZONE"])
