"""The load test's database: a fresh PostgreSQL schema or SQLite file, filled in bulk.

Collectivités and suggestions come from bench/review_list.py's loader (imported, not copied); this module adds
what the load test needs on top: a submitted questionnaire response for every collectivité (themes with
priorities and stances, sectors, partner levels, a presentation in the contact's language), its first version,
private edit links for some of them, and one CUF and one GAROK staff account. It returns the *plan*: a JSON
document the locust users draw from (accounts, list filters, identities, private links, id ranges).
"""

from __future__ import annotations

import json
import random
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from bench import review_list
from matchmaker.reference import levels_for_country, load_reference
from matchmaker.tokens import hash_token

ROOT = Path(__file__).resolve().parents[2]
STAFF_PASSWORD = "load test password 1"
STAFF = (
    {"email": "load.cuf@cuf.example.org", "org": "CUF", "language": "fr"},
    {"email": "load.garok@garok.example.kr", "org": "GAROK", "language": "ko"},
)
#: Private edit links issued at load time (the "respondent edits through a private link" users draw from them).
EDIT_LINKS = 400
#: Identities a new respondent may type on the first step (drawn from the loaded collectivités).
IDENTITIES = 400
#: List requests prepared with review_list's filter mix (the staff users cycle through them).
LIST_REQUESTS = 3000

RESPONSE_COLUMNS = [
    "id",
    "collectivite_id",
    "status",
    "language",
    "contact_name",
    "contact_role",
    "contact_email",
    "sectors",
    "partner_levels",
    "cooperation_kinds",
    "working_languages",
    "existing_partners",
    "description",
    "consent_contact",
    "consent_share",
    "digest_frequency",
    "draft",
    "draft_saved_at",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "confirmed_at",
    "anonymised_at",
]
VERSION_COLUMNS = ["id", "response_id", "number", "answers", "source", "created_at"]
TOKEN_COLUMNS = [
    "id",
    "token_hash",
    "purpose",
    "response_id",
    "suggestion_id",
    "side",
    "created_at",
    "expires_at",
    "revoked_at",
    "used_at",
]
FR_FIRST = ("Claire", "Julien", "Sophie", "Nicolas", "Camille", "Thomas", "Élodie", "Antoine", "Léa", "Mathieu")
FR_LAST = ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier", "Morel")
KR_NAMES = ("김민준", "이서연", "박지훈", "최수빈", "정하은", "강도윤", "조예린", "윤태현", "장서윤", "임재원")
FR_ROLES = (
    "Chargée de mission relations internationales",
    "Directeur de cabinet",
    "Adjoint au maire délégué aux jumelages",
    "Responsable coopération décentralisée",
    "Chef de projet Europe et international",
)
KR_ROLES = ("국제교류팀 주무관", "국제협력과 팀장", "대외협력담당관", "국제통상과 주무관", "자매결연 담당")


@dataclass
class Database:
    """Where the load test's data lives, and how to get rid of it."""

    url: str  # what the app connects to (with the search_path of the schema on PostgreSQL)
    backend: str
    schema: str | None = None
    path: Path | None = None
    admin_url: str | None = None
    timings: dict = field(default_factory=dict)

    def __post_init__(self):
        self.path = Path(self.path) if self.path else None

    def drop(self) -> None:
        """Remove the schema or the file (and SQLite's WAL files)."""
        if self.schema and self.admin_url:
            admin = create_engine(self.admin_url)
            try:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            finally:
                admin.dispose()
        if self.path:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def create_database(url: str, label: str = "load") -> Database:
    """A new empty PostgreSQL schema, or a new SQLite file (an existing file is refused, never overwritten)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        schema = f"{label}_{uuid.uuid4().hex[:8]}"
        admin_url = review_list.with_search_path(url, "public")
        admin = create_engine(admin_url)
        try:
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        finally:
            admin.dispose()
        return Database(review_list.with_search_path(url, schema), backend, schema=schema, admin_url=admin_url)
    if backend == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("the load test needs an SQLite file (sqlite:////path/to/file.sqlite3), not memory")
        if path.exists():
            raise ValueError(f"{path} already exists: give the path of a new file")
        path.parent.mkdir(parents=True, exist_ok=True)
        return Database(url, backend, path=path)
    raise ValueError(f"unsupported database {backend!r}: PostgreSQL or SQLite")


def _taxonomy() -> dict:
    with open(ROOT / "data" / "taxonomy.json", encoding="utf-8") as fh:
        return json.load(fh)


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:20] or "mairie"


class ResponseMaker:
    """Submitted answers for a collectivité, as a person from its country would give them."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        tax = _taxonomy()
        self.themes = {t["code"]: t for t in tax["themes"]}
        self.sectors = {s["code"]: s for s in tax["sectors"]}
        self.kinds = [k["code"] for k in tax["cooperation_kinds"]]
        self.theme_codes = list(self.themes)
        self.theme_weights = [1.0 / (i + 1) ** 0.5 for i in range(len(self.theme_codes))]
        self.partner_levels = {
            c: [lv.code for lv in levels_for_country("KR" if c == "FR" else "FR")] for c in ("FR", "KR")
        }

    def answers(self, coll: dict, n: int) -> dict:
        """A clean record (the shape of import/export and of response_version.answers)."""
        rng = self.rng
        fr = coll["country"] == "FR"
        language = "fr" if fr else rng.choice(("ko", "ko", "ko", "en"))
        codes = sorted(set(rng.choices(self.theme_codes, weights=self.theme_weights, k=rng.randint(2, 6))))
        themes = {
            code: {"priority": rng.choice((1, 1, 2, 2, 3)), "stance": rng.choice(("offer", "seek", "both"))}
            for code in codes
        }
        sectors = sorted(rng.sample(list(self.sectors), rng.randint(0, 4)))
        lang = language if language in ("fr", "ko") else "en"
        name = coll["name_local"] if lang == "ko" and coll.get("name_local") else coll["name"]
        theme_labels = [self.themes[c]["label"][lang] for c in codes]
        keywords = [
            rng.choice(self.themes[c]["keywords"][lang])
            for c in codes[:2]
            if self.themes[c].get("keywords", {}).get(lang)
        ]
        sector_labels = [self.sectors[c]["label"][lang] for c in sectors]
        if lang == "fr":
            text_ = (
                f"{name} souhaite nouer un partenariat durable avec une collectivité coréenne autour de : "
                f"{', '.join(theme_labels)}. "
            )
            if sector_labels:
                text_ += f"Notre territoire est reconnu pour : {', '.join(sector_labels)}. "
            if keywords:
                text_ += f"Projets en cours : {' ; '.join(keywords)}. "
            text_ += "Nous accueillons volontiers des délégations et des échanges de jeunes."
            contact = f"{rng.choice(FR_FIRST)} {rng.choice(FR_LAST)}"
            role = rng.choice(FR_ROLES)
            email = f"ri.{_slug(coll['name'])}.{n}@mairie.example.fr"
        elif lang == "ko":
            text_ = (
                f"{name}은(는) {', '.join(theme_labels)} 분야에서 프랑스 지방자치단체와 지속적인 교류를 희망합니다. "
            )
            if sector_labels:
                text_ += f"지역 대표 산업: {', '.join(sector_labels)}. "
            if keywords:
                text_ += f"추진 중인 사업: {', '.join(keywords)}. "
            text_ += "청소년 교류와 공무원 연수 방문을 환영합니다."
            contact, role = rng.choice(KR_NAMES), rng.choice(KR_ROLES)
            email = f"intl.{_slug(coll['name'])}.{n}@city.example.kr"
        else:
            text_ = (
                f"{name} is looking for a long-term French partner in {', '.join(theme_labels)}. "
                + (f"Our strengths: {', '.join(sector_labels)}. " if sector_labels else "")
                + "We welcome study visits and youth exchanges."
            )
            contact, role = rng.choice(KR_NAMES), rng.choice(KR_ROLES)
            email = f"intl.{_slug(coll['name'])}.{n}@city.example.kr"
        working = ["fr"] if fr else ["ko"]
        if rng.random() < 0.6:
            working.append("en")
        return {
            "name": coll["name"],
            "name_local": coll.get("name_local"),
            "country": coll["country"],
            "level": coll["level"],
            "code": coll.get("code"),
            "population": coll.get("population"),
            "region": coll.get("region"),
            "contact_name": contact,
            "contact_role": role,
            "contact_email": email,
            "language": language,
            "digest_frequency": rng.choice(("monthly", "monthly", "weekly", "never")),
            "themes": themes,
            "sectors": sectors,
            "partner_levels": sorted(rng.sample(self.partner_levels[coll["country"]], rng.randint(0, 3))),
            "cooperation_kinds": sorted(rng.sample(self.kinds, rng.randint(1, 3))),
            "working_languages": working,
            "existing_partners": [],
            "description": text_[:4000],
            "consent_contact": True,
            "consent_share": True,
        }


def response_rows(collectivites: list[dict], rng: random.Random):
    """(responses, theme interests, versions) for every collectivité: all submitted, one version each."""
    maker = ResponseMaker(rng)
    now = datetime.now(timezone.utc)
    responses, interests, versions = [], [], []
    for n, coll in enumerate(collectivites, start=1):
        record = maker.answers(coll, n)
        submitted = now - timedelta(minutes=rng.randint(60, 60 * 24 * 400))
        responses.append(
            {
                "id": n,
                "collectivite_id": coll["id"],
                "status": "submitted",
                "language": record["language"],
                "contact_name": record["contact_name"],
                "contact_role": record["contact_role"],
                "contact_email": record["contact_email"],
                **{
                    name: json.dumps(record[name], ensure_ascii=False)
                    for name in (
                        "sectors",
                        "partner_levels",
                        "cooperation_kinds",
                        "working_languages",
                        "existing_partners",
                    )
                },
                "description": record["description"],
                "consent_contact": True,
                "consent_share": True,
                "digest_frequency": record["digest_frequency"],
                "draft": None,
                "draft_saved_at": None,
                "version": 1,
                "created_at": submitted,
                "updated_at": submitted,
                "submitted_at": submitted,
                "confirmed_at": None,
                "anonymised_at": None,
            }
        )
        interests.extend((n, code, t["priority"], t["stance"]) for code, t in record["themes"].items())
        versions.append(
            {
                "id": n,
                "response_id": n,
                "number": 1,
                "answers": json.dumps(record, ensure_ascii=False),
                "source": "import",
                "created_at": submitted,
            }
        )
    return responses, interests, versions


def token_rows(response_ids: list[int], rng: random.Random) -> tuple[list[dict], list[str]]:
    """Live private edit links for some responses; returns the rows (hashes only) and the raw tokens."""
    now = datetime.now(timezone.utc)
    rows, raws = [], []
    for n, rid in enumerate(rng.sample(response_ids, min(EDIT_LINKS, len(response_ids))), start=1):
        raw = secrets.token_urlsafe(32)
        raws.append(raw)
        rows.append(
            {
                "id": n,
                "token_hash": hash_token(raw),
                "purpose": "edit",
                "response_id": rid,
                "suggestion_id": None,
                "side": None,
                "created_at": now,
                "expires_at": now + timedelta(days=365),
                "revoked_at": None,
                "used_at": None,
            }
        )
    return rows, raws


def _analyze(engine: Engine, tables: tuple[str, ...]) -> None:
    """Fresh statistics (and visibility map on PostgreSQL), as autovacuum leaves a live database."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(text(f"VACUUM ANALYZE {table}" if engine.dialect.name == "postgresql" else f"ANALYZE {table}"))


def settle(url: str) -> tuple[list[dict], int]:
    """Through the app's own operations: the CUF and GAROK accounts the staff users log in with, and the
    introductions a live service would already have made of the loaded approved pairs (up to the exposure cap;
    the rest wait for a slot), so the first approval of the run does not introduce hundreds of pairs at once."""
    from matchmaker.app import create_app
    from matchmaker.extensions import db
    from matchmaker.review.operations import introduce_ready_pairs
    from matchmaker.staff.operations import create_user

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "load-test-setup-" + "x" * 32,
            "TESTING": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SINK": False,
            "SCHEDULER_EMBEDDED": False,
            "LOG_LEVEL": "WARNING",
            "BASE_URL": "https://matchmaker.example.org",
        },
        environ={},
    )
    with app.app_context():
        for account in STAFF:
            create_user(
                account["email"],
                STAFF_PASSWORD,
                account["org"],
                "reviewer",
                account["language"],
                name=f"Load test {account['org']}",
            )
        introduced = len(introduce_ready_pairs().introduced)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return [{**account, "password": STAFF_PASSWORD} for account in STAFF], introduced


def new_identities(collectivites: list[dict], rng: random.Random) -> list[dict]:
    """Collectivités of the reference lists that have not answered: a new respondent's identity step goes on to the
    contact step (one that has answered is told so at once and offered its private link, not a new draft)."""
    answered = {(c["country"], c["level"], c["code"]) for c in collectivites}
    fresh = [r for r in load_reference() if (r.country, r.level, r.code) not in answered]
    return [
        {
            "country": r.country,
            "level": r.level,
            "code": r.code,
            "name": r.name,
            "name_local": r.name_local or None,
            "population": r.population,
            "region": r.region or None,
        }
        for r in rng.sample(fresh, min(IDENTITIES, len(fresh)))
    ]


def fill(db_: Database, n_collectivites: int, n_suggestions: int, seed: int, korean: int = 0) -> dict:
    """Load everything and return the plan the locust users draw from (``korean``: review_list.collectivite_rows)."""
    started = time.perf_counter()
    engine = create_engine(db_.url)
    try:
        sample = review_list.load(engine, n_collectivites, n_suggestions, seed, korean)
        db_.timings["collectivites_and_suggestions_s"] = round(time.perf_counter() - started, 1)
        step = time.perf_counter()
        with engine.connect() as conn:
            collectivites = [
                dict(r._mapping)
                for r in conn.execute(
                    text(
                        "SELECT id, country, level, code, name, name_local, population, region FROM "
                        "collectivite ORDER BY id"
                    )
                )
            ]
            max_suggestion = conn.execute(text("SELECT max(id) FROM suggestion")).scalar() or 0
        rng = random.Random(seed + 7)
        responses, interests, versions = response_rows(collectivites, rng)
        tokens, raw_tokens = token_rows([r["id"] for r in responses], rng)
        review_list.copy_rows(engine, "response", RESPONSE_COLUMNS, responses)
        review_list.copy_rows(engine, "theme_interest", ["response_id", "theme_code", "priority", "stance"], interests)
        review_list.copy_rows(engine, "response_version", VERSION_COLUMNS, versions)
        review_list.copy_rows(engine, "access_token", TOKEN_COLUMNS, tokens)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                for table in ("response", "response_version", "access_token"):
                    conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                    )
        _analyze(engine, ("response", "theme_interest", "response_version", "access_token"))
        db_.timings["responses_s"] = round(time.perf_counter() - step, 1)
    finally:
        engine.dispose()
    step = time.perf_counter()
    staff, introduced = settle(db_.url)
    db_.timings["staff_and_introductions_s"] = round(time.perf_counter() - step, 1)
    db_.timings["total_s"] = round(time.perf_counter() - started, 1)
    list_rng = random.Random(seed + 11)
    return {
        "collectivites": sample["collectivites"],
        "suggestions": sample["suggestions"],
        "suggestion_themes": sample["suggestion_themes"],
        "responses": len(responses),
        "theme_interests": len(interests),
        "max_suggestion_id": max_suggestion,
        "introductions": introduced,
        "staff": staff,
        "list_queries": [query for _kind, query, _pages in review_list.request_mix(sample, LIST_REQUESTS, list_rng)],
        "themes": list(review_list.THEMES),
        "identities": new_identities(collectivites, list_rng),
        "edit_links": raw_tokens,
        "fr_levels": sample["fr_levels"],
        "kr_levels": sample["kr_levels"],
    }
