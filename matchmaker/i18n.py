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
from flask_babel import Babel, Domain
from jinja2 import pass_context
from markupsafe import Markup

from matchmaker.matching.particles import attach, resolve_particles
from matchmaker.regions import region_label
from matchmaker.vocabulary import DEFAULT_LANGUAGE, LANGUAGES

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
    """Pick the language: URL (view argument or ?lang=), then the saved choice, then the staff user's, then the
    browser."""
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


class ParticleDomain(Domain):
    """Flask-Babel's message domain, with Korean particles resolved once the values are in
    ("마포구와(과)" → "마포구와")."""

    def gettext(self, string, **variables):
        """Translate and format, then resolve the particles."""
        return resolve_particles(super().gettext(string, **variables))

    def ngettext(self, singular, plural, num, **variables):
        """Translate, choose the plural and format, then resolve the particles."""
        return resolve_particles(super().ngettext(singular, plural, num, **variables))

    def pgettext(self, context, string, **variables):
        """Translate with a context and format, then resolve the particles."""
        return resolve_particles(super().pgettext(context, string, **variables))

    def npgettext(self, context, singular, plural, num, **variables):
        """Translate with a context, choose the plural and format, then resolve the particles."""
        return resolve_particles(super().npgettext(context, singular, plural, num, **variables))


class ParticleBabel(Babel):
    """Flask-Babel whose messages, in Python code, go through :class:`ParticleDomain`."""

    @property
    def domain_instance(self):
        """The message domain for the translations."""
        return ParticleDomain(domain=self.domain)


def in_running_text(label: str, lang: str | None = None) -> str:
    """A language's name inside a sentence or a list: lower case in French ("coréen, anglais"), as is otherwise."""
    from flask_babel import get_locale

    lang = lang or str(get_locale())
    return label[:1].lower() + label[1:] if lang == "fr" and label else label


def name_for_reader(name: str | None, name_local: str | None, lang: str | None = None) -> str:
    """A collectivité's name as a reader writes it: the Hangul name for a Korean reader, the romanised one otherwise."""
    from flask_babel import get_locale

    lang = lang or str(get_locale())
    if lang == "ko" and name_local and any("\uac00" <= ch <= "\ud7a3" for ch in name_local):
        return name_local
    return name or name_local or ""


def region_name(country: str, text: str | None, lang: str | None = None) -> str:
    """A collectivité's region in the reader's language (matchmaker.regions), an unmatched one as typed."""
    from flask_babel import get_locale

    return region_label(country, text, lang or str(get_locale()))


def _resolving(jinja_callable):
    @pass_context
    def call(context, *args, **kwargs):
        text = jinja_callable(context, *args, **kwargs)
        resolved = resolve_particles(text)
        return Markup(resolved) if isinstance(text, Markup) else resolved

    return call


def install_particles(jinja_env) -> None:
    """Make the templates' ``_``, ``gettext`` and ``ngettext`` resolve Korean particles, and add the ``josa`` filter.

    Jinja formats a message after Flask-Babel translated it, so the particles are resolved around Jinja's own
    callables; a template can also write ``{{ name|josa("은") }}``.
    """
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):  # "_" calls "gettext"
        if name in jinja_env.globals:
            jinja_env.globals[name] = _resolving(jinja_env.globals[name])
    jinja_env.filters["josa"] = attach
    jinja_env.filters["in_running_text"] = in_running_text
    jinja_env.globals["name_for_reader"] = name_for_reader
    jinja_env.globals["region_name"] = region_name
