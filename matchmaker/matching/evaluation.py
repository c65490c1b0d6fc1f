"""Offline evaluation on documented partnerships: does the real partner rank near the top?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .defaults import default_matcher, load_inputs
from .encoder import default_encoder
from .profile import Profile
from .scorer import DEFAULT_WEIGHTS, DIMENSIONS, MatchScorer
from .text import search_key
from .tuning import tune_weights

# What a response says about who it is; "text only" keeps these and the free text.
IDENTITY_FIELDS = ("name", "name_local", "country", "level", "code", "population", "region", "language")
KS = (1, 3, 5)


def load_pairs(path: str | Path) -> list[dict[str, Any]]:
    """Read a partnerships JSON Lines file: one {"id", "fr", "kr", ...} object per line."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_half(
    directory: str | Path, split: str, variant: str = "full"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One half ("dev" or "heldout") of the independent evaluation set: (pairs, pool of competitors).

    `directory` holds partnerships.csv (pair_id, split, fr_code, fr_level, kr_code, kr_level, …) and
    records/<variant>-<split>.jsonl (questionnaire records; variant "full" or "presentation").
    Pairs are {"id", "fr", "kr"} with the records of both sides; every other record is a competitor.
    """
    import csv

    directory = Path(directory)
    with open(directory / "records" / f"{variant}-{split}.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    by_key = {(r["country"], str(r.get("code") or ""), r.get("level", "")): r for r in records}
    pairs, used = [], set()
    with open(directory / "partnerships.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["split"] != split:
                continue
            fr_key = ("FR", row["fr_code"], row["fr_level"])
            kr_key = ("KR", row["kr_code"], row["kr_level"])
            if fr_key not in by_key or kr_key not in by_key:
                raise ValueError(f"pair {row['pair_id']}: no record for {fr_key if fr_key not in by_key else kr_key}")
            pairs.append({"id": row["pair_id"], "fr": by_key[fr_key], "kr": by_key[kr_key]})
            used.update((fr_key, kr_key))
    pool = [r for key, r in by_key.items() if key not in used]
    return pairs, pool


def text_only(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record reduced to its identity and free-text description (nothing ticked)."""
    out = {k: record[k] for k in IDENTITY_FIELDS if k in record}
    out["description"] = record.get("description", "")
    return out


def identity(record: Mapping[str, Any]) -> str:
    """Which collectivité a record is about: country and official code, else its name."""
    if record.get("code"):
        return f"{record['country']}:{record['code']}"
    return f"{record['country']}:name:{search_key(record.get('name') or record.get('name_local') or '')}"


def _harmonic(n: int) -> float:
    return float(np.sum(1.0 / np.arange(1, n + 1))) if n > 0 else 0.0


def _expected(greater: int, ties: int) -> tuple[dict[int, float], float]:
    """hit@k and reciprocal rank expected when ties with the true partner are broken at random."""
    hits = {k: float(np.clip((k - greater) / (ties + 1), 0.0, 1.0)) for k in KS}
    rr = (_harmonic(greater + ties + 1) - _harmonic(greater)) / (ties + 1)
    return hits, rr


#: embed(texts) -> one (document vector, sentence vectors) per text, e.g. matching.encoder's vectors.
Embed = Callable[[Sequence[str]], Sequence[tuple[Any, Any]]]


def with_embeddings(profiles: list[Profile], embed: Embed | None) -> list[Profile]:
    """The profiles carrying their descriptions' encoder vectors (each distinct text encoded once)."""
    if embed is None:
        return profiles
    texts = sorted({p.description for p in profiles})
    vectors = dict(zip(texts, embed(texts)))
    return [p.with_embedding(*vectors[p.description]) if p.description.strip() else p for p in profiles]


def _profiles(
    pairs: Sequence[Mapping[str, Any]],
    distractors: Iterable[Mapping[str, Any]],
    transform: Callable[[Mapping[str, Any]], Mapping[str, Any]],
    embed: Embed | None = None,
) -> list[Profile]:
    """Profiles with ids 2p (French record of pair p), 2p+1 (Korean record), then distractors."""
    profiles = []
    for p, pair in enumerate(pairs):
        profiles.append(Profile.from_record(transform(pair["fr"]), id=2 * p))
        profiles.append(Profile.from_record(transform(pair["kr"]), id=2 * p + 1))
    for n, record in enumerate(distractors):
        profiles.append(Profile.from_record(transform(record), id=2 * len(pairs) + n))
    return with_embeddings(profiles, embed)


def rank_metrics(
    pairs: Sequence[Mapping[str, Any]],
    totals: np.ndarray,
    fr_records: Sequence[Mapping[str, Any]],
    kr_records: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """hit@k and MRR of each pair's real partner, both ways, from a FR × KR total matrix.

    Row p / column p of `totals` are pair p's records; further rows/columns are distractors.
    Records of one collectivité count once (its best score). Its other documented partners
    are left out of the candidates (filtered ranking), as they would be declared partners.
    """
    fr_keys = [identity(r) for r in fr_records]
    kr_keys = [identity(r) for r in kr_records]
    partners: dict[str, set[str]] = {}
    for pair in pairs:
        a, b = identity(pair["fr"]), identity(pair["kr"])
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    results: dict[str, list] = {"fr": [], "kr": []}
    queries: list[dict[str, Any]] = []
    for p in range(len(pairs)):
        for side, scores, keys, own_key, true_key in (
            ("fr", totals[p, :], kr_keys, fr_keys[p], kr_keys[p]),
            ("kr", totals[:, p], fr_keys, kr_keys[p], fr_keys[p]),
        ):
            best: dict[str, float] = {}
            for key, value in zip(keys, scores):
                if key == true_key or key not in partners.get(own_key, ()):
                    best[key] = max(best.get(key, -np.inf), float(value))
            true = best.pop(true_key)
            others = np.array(list(best.values()))
            greater = int(np.sum(others > true + 1e-9))
            ties = int(np.sum(np.abs(others - true) <= 1e-9))
            results[side].append(_expected(greater, ties))
            queries.append({"pair": pairs[p].get("id", p), "side": side, "rank": 1 + greater + ties / 2})

    def summary(items: list) -> dict[str, float]:
        out = {f"hit@{k}": float(np.mean([h[k] for h, _ in items])) for k in KS}
        out["mrr"] = float(np.mean([rr for _, rr in items]))
        out["n"] = len(items)
        return out

    report = summary(results["fr"] + results["kr"])
    report["by_side"] = {side: summary(items) for side, items in results.items()}
    report["queries"] = queries  # per query: the partner's rank (ties counted half)
    return report


def evaluate(
    pairs: Sequence[Mapping[str, Any]],
    matcher_factory: Callable[[], MatchScorer] | None,
    *,
    text_only_records: bool = False,
    distractors: Iterable[Mapping[str, Any]] = (),
    embed: Embed | None = None,
) -> dict[str, Any]:
    """Fit a fresh matcher on every record of `pairs` and rank each real partner among the other side.

    Returns {"hit@1", "hit@3", "hit@5", "mrr", "n", "by_side", "queries"}; n counts queries (two per pair:
    the French side looking for its Korean partner and the reverse). With `matcher_factory`
    None every candidate scores the same, which gives the exact random-ranking baseline.
    With `text_only_records` each record keeps only its identity and description; with `embed`
    every description carries its encoder vectors (the text dimension's semantic part).
    """
    distractors = list(distractors)
    transform = text_only if text_only_records else dict
    profiles = _profiles(pairs, distractors, transform, embed)
    fr = [p for p in profiles if p.country == "FR"]
    kr = [p for p in profiles if p.country == "KR"]
    # pair p's records must be row/column p: pairs come first, in order
    fr.sort(key=lambda p: (p.id >= 2 * len(pairs), p.id))
    kr.sort(key=lambda p: (p.id >= 2 * len(pairs), p.id))
    if matcher_factory is None:
        totals = np.zeros((len(fr), len(kr)))
    else:
        matcher = matcher_factory().fit(profiles)
        totals = matcher.score_pairs([p.id for p in fr], [p.id for p in kr])["total"]
    records = {p.id: r for p, r in zip(profiles, _records(pairs, distractors))}
    return rank_metrics(pairs, totals, [records[p.id] for p in fr], [records[p.id] for p in kr])


def _records(pairs: Sequence[Mapping[str, Any]], distractors: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Records in the same order as _profiles builds profiles."""
    out: list[Mapping[str, Any]] = []
    for pair in pairs:
        out.extend([pair["fr"], pair["kr"]])
    out.extend(distractors)
    return out


def themes_only(**params: Any) -> Callable[[], MatchScorer]:
    """Factory for the themes-only baseline: cosine of ticked themes, nothing inferred from text."""
    return lambda: MatchScorer(weights={"themes": 1.0}, infer_from_text=False, **params)


def leave_one_out_tuned(
    pairs: Sequence[Mapping[str, Any]], taxonomy: Any, level_compatibility: Any, *, text_only_records: bool = False
) -> dict[str, Any]:
    """Weights learned with tune_weights from the other pairs, scored on the held-out one (per pair).

    The real pairs are the approved decisions and every other French–Korean combination of the
    training pairs the rejected ones; this measures what learning weights from decisions could
    bring, without ever scoring a pair with weights that saw it.
    """
    transform = text_only if text_only_records else dict
    profiles = _profiles(pairs, [], transform)
    fr_ids = [2 * p for p in range(len(pairs))]
    kr_ids = [2 * p + 1 for p in range(len(pairs))]
    params = {"taxonomy": taxonomy, "level_compatibility": level_compatibility}
    scores = MatchScorer(**params).fit(profiles).score_pairs(fr_ids, kr_ids)
    X = np.stack([scores[d] for d in DIMENSIONS], axis=-1)
    fr_keys = [identity(p["fr"]) for p in pairs]
    kr_keys = [identity(p["kr"]) for p in pairs]
    real = {(fr_keys[p], kr_keys[p]) for p in range(len(pairs))}
    totals = np.zeros((len(pairs), len(pairs)))
    learned = []
    for held in range(len(pairs)):
        train = [q for q in range(len(pairs)) if fr_keys[q] != fr_keys[held] and kr_keys[q] != kr_keys[held]]
        cells = [(i, j) for i in train for j in train]
        labels = [int((fr_keys[i], kr_keys[j]) in real) for i, j in cells]
        weights = tune_weights(np.array([X[i, j] for i, j in cells]), labels, cv=3).new_weights
        learned.append([weights[d] for d in DIMENSIONS])
        total = MatchScorer(weights=weights, **params).fit(profiles).score_pairs(fr_ids, kr_ids)["total"]
        totals[held, :], totals[:, held] = total[held, :], total[:, held]
    report = rank_metrics(pairs, totals, [p["fr"] for p in pairs], [p["kr"] for p in pairs])
    report["mean_weights"] = dict(zip(DIMENSIONS, np.mean(learned, axis=0).round(3).tolist()))
    return report


def naive_sum(**params: Any) -> Callable[[], MatchScorer]:
    """Factory for the naive baseline: theme cosine, sector overlap, size kernel and offers/seeks, equal
    weights, summed (no text, nothing inferred from text, arithmetic combination of the two sides)."""
    weights = {"themes": 0.25, "complementarity": 0.25, "sectors": 0.25, "size": 0.25}
    return lambda: MatchScorer(weights=weights, combine="arithmetic", infer_from_text=False, **params)


def encoder_alone() -> Callable[[], MatchScorer]:
    """Factory for the text-encoder baseline: the cosine of the presentations' vectors, nothing else."""
    return lambda: MatchScorer(
        weights={"text": 1.0}, text_semantic_share=1.0, semantic_floor=0.0, text_tfidf_share=0.0, infer_from_text=False
    )


def held_out_table(
    directory: str | Path, embed: Embed | None, split: str = "heldout", *, data_dir: str | Path
) -> dict[str, dict[str, Any]]:
    """Every ranker of the table on one half of the evaluation set: {"full" | "presentation": {ranker: report}}.

    `directory` holds the evaluation set, `data_dir` the taxonomy and level table the engine is built on.
    """
    taxonomy, levels = load_inputs(data_dir)
    rankers: dict[str, Callable[[], MatchScorer] | None] = {
        "random (exact expectation)": None,
        "themes only": themes_only(taxonomy=taxonomy, level_compatibility=levels),
        "naive weighted sum": naive_sum(taxonomy=taxonomy, level_compatibility=levels),
        "text encoder alone": encoder_alone(),
        "engine": lambda: default_matcher(data_dir),
    }
    for dimension in DIMENSIONS:
        weights = {d: w for d, w in DEFAULT_WEIGHTS.items() if d != dimension}
        rankers[f"engine without {dimension}"] = lambda w=weights: default_matcher(data_dir, weights=w)
    rankers["engine without the encoder (keywords only)"] = lambda: default_matcher(data_dir, text_semantic_share=0.0)
    out: dict[str, dict[str, Any]] = {}
    for variant in ("full", "presentation"):
        pairs, pool = load_half(directory, split, variant)
        out[variant] = {
            name: evaluate(pairs, factory, distractors=pool, embed=embed) for name, factory in rankers.items()
        }
    return out


def caching_embed(encoder: Any) -> Embed:
    """embed() on an encoder (encoder.SentenceEncoder), each distinct text encoded once per process."""
    cache: dict[str, tuple[Any, Any]] = {}

    def embed(texts: Sequence[str]) -> list[tuple[Any, Any]]:
        todo = [t for t in texts if t not in cache]
        for text, vectors in zip(todo, encoder.encode(todo)):
            cache[text] = (vectors.document, vectors.sentences)
        return [cache[t] for t in texts]

    return embed


def main(argv: Sequence[str] | None = None, *, data_dir: str | Path) -> None:
    """Print the table on the held-out half of `data_dir`/eval (or choose settings on the development half).

    `python -m matchmaker.matching` calls this with the project's data folder (the library itself names none).
    """
    import argparse

    data_dir = Path(data_dir)
    parser = argparse.ArgumentParser(description="Rank documented partnerships and compare with baselines.")
    parser.add_argument("--eval-dir", default=str(data_dir / "eval"))
    parser.add_argument(
        "--split",
        default="heldout",
        choices=("heldout", "dev"),
        help="half to score (the held-out half is never used to choose anything)",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="choose weights, text blend and combination on the development half and print them",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=0,
        help="random weight vectors tried by --calibrate besides the defaults and the learned ones",
    )
    parser.add_argument("--queries", action="store_true", help="also print each query's rank (engine)")
    args = parser.parse_args(argv)
    embed = caching_embed(default_encoder())

    if args.calibrate:
        from .calibration import calibrate  # calibration builds on this module (its scoring helpers)

        taxonomy, levels = load_inputs(data_dir)
        sets = {
            "full": load_half(args.eval_dir, "dev", "full"),
            "text": load_half(args.eval_dir, "dev", "presentation"),
        }
        report = calibrate(sets, taxonomy=taxonomy, level_compatibility=levels, embed=embed, samples=args.samples)
        print(f"chosen on the development half ({len(sets['full'][0])} partnerships, {report.candidates} candidates):")
        print(f"  {report.settings.params()}")
        print(
            f"  development MRR {report.dev_mrr}; cross-validated MRR of choosing this way {report.cv_mrr}, "
            f"of the previous defaults {report.cv_mrr_default}"
        )
        return
    table = held_out_table(args.eval_dir, embed, args.split, data_dir=data_dir)
    for variant, reports in table.items():
        first = next(iter(reports.values()))
        title = "Full records" if variant == "full" else "Presentation only"
        print(f"\n{title}, {args.split} half ({first['n'] // 2} partnerships, both directions)\n")
        print("| ranker | hit@1 | hit@3 | hit@5 | MRR | queries |\n|---|---|---|---|---|---|")
        for name, report in reports.items():
            print(
                f"| {name} | {report['hit@1']:.3f} | {report['hit@3']:.3f} | {report['hit@5']:.3f} "
                f"| {report['mrr']:.3f} | {report['n']} |"
            )
        if args.queries:
            for query in reports["engine"]["queries"]:
                print(f"  {query['pair']:<12} {query['side']}  rank {query['rank']:g}")
