"""Build the independent evaluation set's files from sources.py, profiles_fr.py and profiles_kr.py.

    python data/eval/build_eval.py          # writes partnerships.csv, collectivites.csv, records/*.jsonl

Standard library only. Identity fields (name, local name, level, population, region) come from the
reference lists in data/reference/, so they are the ones the questionnaire's autocomplete produces.
The development / held-out split is computed here, once, by a fixed rule (see README.md); it does not
depend on any score.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profiles_fr import FR  # noqa: E402
from profiles_kr import KR  # noqa: E402
from sources import PARTNERSHIPS  # noqa: E402

# a profile key is a code, or code@level where a code is shared (region 53 and département 53)
HINTS = {(c, k.split("@")[0]): k.split("@")[1] for c, d in (("FR", FR), ("KR", KR)) for k in d if "@" in k}
FR = {k.split("@")[0]: v for k, v in FR.items()}
KR = {k.split("@")[0]: v for k, v in KR.items()}

REFERENCE = HERE.parent / "reference"
THEMES = {
    "cl": "climate_energy",
    "env": "environment_biodiversity",
    "waste": "waste_circular",
    "water": "water",
    "mob": "mobility",
    "smart": "smart_city",
    "tour": "tourism",
    "cult": "culture_heritage",
    "crea": "creative_industries",
    "youth": "youth_education",
    "hedu": "higher_ed_research",
    "eco": "economic_development",
    "agri": "agriculture_food",
    "soc": "social_action",
    "health": "health",
    "sport": "sport",
    "urb": "urban_planning",
    "hist": "history_memory",
    "demo": "local_democracy",
    "gender": "gender_equality",
    "sse": "social_solidarity_economy",
    "safe": "public_safety",
    # the questionnaire has no maritime theme: the sea economy is economic development (sector fisheries_maritime)
    "fisheries_maritime": "economic_development",
}
SECTORS = {
    "tourism": "tourism_hospitality",
    "media": "culture_media",
    "finance": "finance_services",
    "research": "research_education",
    "chem": "chemicals_materials",
    "agri": "agriculture",
    "constr": "construction",
    "textile": "textiles_fashion",
}
STANCES = {"o": "offer", "s": "seek", "b": "both"}
PARTNER_LEVELS = {
    "region": ["province", "special_autonomous_province", "metropolitan_city"],
    "departement": ["province", "si", "gun"],
    "metropole": ["metropolitan_city", "si"],
    "epci": ["si", "gun"],
    "commune": ["si", "gun", "gu"],
    "arrondissement": ["gu"],
    "special_city": ["commune", "region", "metropole"],
    "metropolitan_city": ["commune", "metropole", "region"],
    "special_autonomous_city": ["commune", "metropole"],
    "province": ["region", "departement"],
    "special_autonomous_province": ["region", "departement"],
    "si": ["commune"],
    "gun": ["commune"],
    "gu": ["arrondissement", "commune"],
}


def reference() -> dict[tuple[str, str, str], dict]:
    rows = {}
    for name in ("collectivites_fr.csv", "collectivites_kr.csv"):
        with open(REFERENCE / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                rows[(row["country"], row["code"], row["level"])] = row
    return rows


def themes(spec: str) -> dict:
    out: dict[str, dict] = {}
    for item in spec.split():
        m = re.fullmatch(r"([a-z_]+?)([123])([osb])", item)
        if not m:
            raise ValueError(f"bad theme item {item!r}")
        code = THEMES.get(m.group(1), m.group(1))
        if code not in THEMES.values():
            raise ValueError(f"unknown theme {item!r}")
        prio = int(m.group(2))
        if code not in out or out[code]["priority"] < prio:
            out[code] = {"priority": prio, "stance": STANCES[m.group(3)]}
    return dict(sorted(out.items()))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().encode("ascii", "ignore").decode()).strip("-") or "kr"


def record(country: str, code: str, level: str, ref: dict, profile: tuple) -> dict:
    url, theme_spec, sector_spec, kinds, description = profile
    row = ref[(country, code, level)]
    fr = country == "FR"
    return {
        "name": row["name"],
        "name_local": row["name_local"],
        "country": country,
        "level": level,
        "code": code,
        "population": int(row["population"]),
        "region": row["region"] if fr else row["region_local"],
        "contact_name": "Service des relations internationales" if fr else "국제교류 담당",
        "contact_email": f"international@{slug(row['name'])}-{code}.example.{'org' if fr else 'com'}",
        "language": "fr" if fr else "ko",
        "themes": themes(theme_spec),
        "sectors": sorted({SECTORS.get(s, s) for s in sector_spec.split()}),
        "partner_levels": PARTNER_LEVELS[level],
        "cooperation_kinds": kinds.split(),
        "working_languages": ["fr", "en"] if fr else ["ko", "en"],
        "existing_partners": [],
        "description": description,
        "consent_contact": True,
        "consent_share": True,
    }


def presentation_only(rec: dict) -> dict:
    """Same identity and presentation, nothing ticked."""
    return {**rec, "themes": {}, "sectors": [], "partner_levels": [], "cooperation_kinds": []}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def split(pairs: list[tuple], pool: list[tuple[str, str]]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Partnerships by connected component (a collectivité never in both halves), then pool members."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _pid, fr, kr, *_ in pairs:
        parent[find(("FR", fr[0]))] = find(("KR", kr[0]))
    components: dict = {}
    for p in pairs:
        components.setdefault(find(("FR", p[1][0])), []).append(p)
    order = sorted(
        components.values(), key=lambda ps: (-len(ps), sha("|".join(sorted(f"FR:{p[1][0]}/KR:{p[2][0]}" for p in ps))))
    )
    counts = {"dev": 0, "heldout": 0}
    pair_split: dict[str, str] = {}
    for ps in order:
        half = "dev" if counts["dev"] <= counts["heldout"] else "heldout"
        counts[half] += len(ps)
        for p in ps:
            pair_split[p[0]] = half
    pool_split: dict[tuple[str, str], str] = {}
    for country in ("FR", "KR"):
        members = sorted((m for m in pool if m[0] == country), key=lambda m: sha(f"pool:{m[0]}:{m[1]}"))
        for i, m in enumerate(members):
            pool_split[m] = "dev" if i % 2 == 0 else "heldout"
    return pair_split, pool_split


def main() -> None:
    ref = reference()
    levels = {("FR", c): lv for _, (c, lv), _k, *_ in PARTNERSHIPS}
    levels.update({("KR", c): lv for _, _f, (c, lv), *_ in PARTNERSHIPS})
    for country, profiles in (("FR", FR), ("KR", KR)):
        for code in profiles:
            if (country, code) not in levels:
                found = [
                    k for k in ref if k[0] == country and k[1] == code and HINTS.get((country, code), k[2]) == k[2]
                ]
                if len(found) != 1:
                    raise SystemExit(f"{country}:{code}: {len(found)} reference rows")
                levels[(country, code)] = found[0][2]
    partnered = {("FR", p[1][0]) for p in PARTNERSHIPS} | {("KR", p[2][0]) for p in PARTNERSHIPS}
    missing = [k for k in partnered if k[1] not in (FR if k[0] == "FR" else KR)]
    if missing:
        raise SystemExit(f"no profile for {missing}")
    pool = sorted(k for k in levels if k not in partnered)
    pair_split, pool_split = split(PARTNERSHIPS, pool)
    member_split: dict[tuple[str, str], str] = dict(pool_split)
    for p in PARTNERSHIPS:
        for key in (("FR", p[1][0]), ("KR", p[2][0])):
            member_split.setdefault(key, pair_split[p[0]])
    # The split was computed once by the rule above and then frozen in split.csv: a collectivité listed there
    # keeps its half whatever is added later (a pair added later joins the half its members are already in).
    with open(HERE / "split.csv", encoding="utf-8") as f:
        frozen = {(r["country"], r["code"]): r["split"] for r in csv.DictReader(f)}
    member_split.update({k: v for k, v in frozen.items() if k in member_split})
    # a collectivité added later that is partnered with a frozen one joins that one's half (its component's half)
    changed = True
    while changed:
        changed = False
        for p in PARTNERSHIPS:
            fr, kr = ("FR", p[1][0]), ("KR", p[2][0])
            for a, b in ((fr, kr), (kr, fr)):
                if a in frozen and b not in frozen and member_split[b] != member_split[a]:
                    member_split[b] = member_split[a]
                    frozen[b] = member_split[a]
                    changed = True
    # Pairs whose two sides are both new (neither in split.csv) form components of their own. Rule fixed on
    # 2026-12-04, before any score of that session was computed: such components are taken in the order of the
    # SHA-256 of their sorted member keys, and each goes to the half that has fewer pairs so far, counting every
    # pair already placed (development on ties). It reads no score, and it moves no listed collectivité.
    new_pairs = [p for p in PARTNERSHIPS if ("FR", p[1][0]) not in frozen and ("KR", p[2][0]) not in frozen]
    if new_pairs:
        counts = {"dev": 0, "heldout": 0}
        for p in PARTNERSHIPS:
            if p not in new_pairs:
                counts[member_split[("FR", p[1][0])]] += 1
        groups: dict[tuple[str, str], set] = {}
        for p in new_pairs:
            fr, kr = ("FR", p[1][0]), ("KR", p[2][0])
            merged = groups.get(fr, {fr}) | groups.get(kr, {kr})
            for key in merged:
                groups[key] = merged
        components = {frozenset(g) for g in groups.values()}
        for members in sorted(components, key=lambda g: sha("|".join(sorted(f"{c}:{k}" for c, k in g)))):
            n = sum(1 for p in new_pairs if ("FR", p[1][0]) in members)
            half = "dev" if counts["dev"] <= counts["heldout"] else "heldout"
            counts[half] += n
            for key in members:
                member_split[key] = half
                frozen[key] = half
    for p in PARTNERSHIPS:
        halves = {member_split[("FR", p[1][0])], member_split[("KR", p[2][0])]}
        if len(halves) != 1:
            raise SystemExit(f"{p[0]}: its two sides are in different halves")
        pair_split[p[0]] = halves.pop()

    records = {key: record(key[0], key[1], levels[key], ref, (FR if key[0] == "FR" else KR)[key[1]]) for key in levels}

    # the partner never appears in a description, nor the other country at all
    foreign = {"FR": re.compile(r"cor[ée]e|coréen|séoul|korea", re.I), "KR": re.compile(r"프랑스|파리|불어|france")}
    for key, rec in records.items():
        if foreign[key[0]].search(rec["description"]):
            raise SystemExit(f"{key}: description mentions the other country")
    for p in PARTNERSHIPS:
        fr, kr = records[("FR", p[1][0])], records[("KR", p[2][0])]
        for a, b in ((fr, kr), (kr, fr)):
            for name in {b["name"], b["name_local"], b["name"].split("-")[0]}:
                if len(name) > 3 and name.lower() in a["description"].lower():
                    raise SystemExit(f"{p[0]}: {a['name']} names {name}")

    out = HERE / "records"
    out.mkdir(exist_ok=True)
    for half in ("dev", "heldout"):
        keys = sorted(k for k in records if member_split[k] == half)
        for variant, make in (("full", lambda r: r), ("presentation", presentation_only)):
            with open(out / f"{variant}-{half}.jsonl", "w", encoding="utf-8") as f:
                for k in keys:
                    f.write(json.dumps(make(records[k]), ensure_ascii=False) + "\n")

    with open(HERE / "partnerships.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "pair_id",
                "split",
                "fr_code",
                "fr_level",
                "fr_name",
                "kr_code",
                "kr_level",
                "kr_name",
                "kr_name_local",
                "kind",
                "year",
                "status",
                "source_url",
                "source_says",
            ]
        )
        for pid, (fc, fl), (kc, kl), kind, year, status, url, says in PARTNERSHIPS:
            w.writerow(
                [
                    pid,
                    pair_split[pid],
                    fc,
                    fl,
                    records[("FR", fc)]["name"],
                    kc,
                    kl,
                    records[("KR", kc)]["name"],
                    records[("KR", kc)]["name_local"],
                    kind,
                    year or "",
                    status,
                    url,
                    says,
                ]
            )
    with open(HERE / "collectivites.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["country", "code", "level", "name", "name_local", "role", "split", "pairs", "self_description_source"]
        )
        for key in sorted(records):
            rec = records[key]
            pairs = [
                p[0]
                for p in PARTNERSHIPS
                if (key[0] == "FR" and p[1][0] == key[1]) or (key[0] == "KR" and p[2][0] == key[1])
            ]
            w.writerow(
                [
                    key[0],
                    key[1],
                    rec["level"],
                    rec["name"],
                    rec["name_local"],
                    "partner" if pairs else "pool",
                    member_split[key],
                    ";".join(pairs),
                    (FR if key[0] == "FR" else KR)[key[1]][0],
                ]
            )
    n = {c: sum(1 for k in records if k[0] == c) for c in ("FR", "KR")}
    h = {s: sum(1 for v in pair_split.values() if v == s) for s in ("dev", "heldout")}
    print(
        f"{len(PARTNERSHIPS)} partnerships (dev {h['dev']}, held-out {h['heldout']}); "
        f"{n['FR']} French and {n['KR']} Korean collectivités ({len(pool)} in the pool)"
    )


if __name__ == "__main__":
    main()
