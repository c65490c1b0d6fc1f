"""Benchmark of the sentence encoder: encoding presentations in bulk, and rescoring one new response.

    python bench/encoding.py [--n 36000] [--fr 36000] [--kr 243] [--workers 2]

1. Encoding n presentations (the one-off back-fill, `matchmaker embed`): what is stored, i.e. the
   whole text and each of its sentences, by batches of 500 on `--workers` processes (default: one per
   core, as `matchmaker embed` does; its CPU time includes the workers'). Presentations are 1 to 4
   sentences drawn from the development half of data/eval and the demo data (French, Korean,
   English), so lengths and scripts are realistic.
2. Rescoring one new French response including its encoding: a matcher fitted on `fr` French and
   `kr` Korean responses carrying vectors (the synthetic responses of bench/matching.py; the n
   encoded presentations' vectors are reused in turn when fr > n), then encode + score_one (top 10
   with both ranks and reasons), minimum of 5 runs.
Wall time and the process's CPU time are both reported (on a shared machine CPU time is steadier),
with the load average; results go to stdout and bench/results/encoding.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matchmaker.matching import Profile  # noqa: E402
from matchmaker.matching.encoder import EMBEDDING_MODEL, SentenceEncoder, encode_batches  # noqa: E402
from matchmaker.matching.sentences import split_sentences  # noqa: E402
from matchmaker.suggestions.embeddings import BATCH  # noqa: E402


def sentence_pool() -> list[str]:
    """Sentences of the development half's and the demo data's presentations."""
    texts = []
    for path in [
        ROOT / "data" / "eval" / "records" / "full-dev.jsonl",
        *sorted((ROOT / "data" / "demo").glob("*.jsonl")),
    ]:
        if path.exists():
            with open(path, encoding="utf-8") as handle:
                texts += [json.loads(line).get("description") or "" for line in handle if line.strip()]
    return [s for t in texts for s in split_sentences(t)]


def presentations(n: int, seed: int = 0) -> list[str]:
    """n presentations of 1 to 4 sentences drawn from the pool."""
    rng = np.random.default_rng(seed)
    pool = sentence_pool()
    return [" ".join(pool[i] for i in rng.integers(0, len(pool), int(rng.integers(1, 5)))) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=36_000)
    parser.add_argument("--fr", type=int, default=36_000)
    parser.add_argument("--kr", type=int, default=243)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    texts = presentations(args.n)
    encoder = SentenceEncoder()
    start = time.perf_counter()
    encoder.encode(["chargement"])
    load_s = time.perf_counter() - start

    def cpu_seconds() -> float:  # this process and its finished workers
        own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime

    start, cpu = time.perf_counter(), cpu_seconds()
    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    vectors = [v for batch in encode_batches(batches, args.workers) for v in batch]
    encode_s, encode_cpu_s = time.perf_counter() - start, cpu_seconds() - cpu
    sentences = sum(len(v.sentences) for v in vectors)

    from matching import build  # bench/matching.py: synthetic responses on the reference lists

    matcher, profiles, _fit_s = build(ROOT / "data", args.fr, args.kr)
    kr_texts = presentations(args.kr, seed=1)
    kr_vectors = encoder.encode(kr_texts)
    fr_profiles = [p for p in profiles if p.country == "FR"]
    kr_profiles = [p for p in profiles if p.country == "KR"]
    with_vectors = [
        p.with_embedding(vectors[i % len(vectors)].document, vectors[i % len(vectors)].sentences)
        for i, p in enumerate(fr_profiles)
    ] + [p.with_embedding(v.document, v.sentences) for p, v in zip(kr_profiles, kr_vectors)]
    start = time.perf_counter()
    matcher.fit(with_vectors)
    fit_s = time.perf_counter() - start
    new_text = texts[0]
    timings, cpu_timings = [], []
    for run in range(5):
        start, cpu = time.perf_counter(), time.process_time()
        vector = encoder.encode([new_text])[0]
        profile = Profile.from_record(
            {
                "country": "FR",
                "level": "commune",
                "name": "Nouvelle commune",
                "population": 25_000,
                "description": new_text,
                "themes": {"tourism": {"priority": 2, "stance": "both"}},
            },
            id=99_000_000 + run,
        ).with_embedding(vector.document, vector.sentences)
        matcher.score_one(profile, k=10, explain=True)
        timings.append(time.perf_counter() - start)
        cpu_timings.append(time.process_time() - cpu)
    result = {
        "model": EMBEDDING_MODEL,
        "presentations": args.n,
        "sentences": sentences,
        "mean_characters": float(np.mean([len(t) for t in texts])),
        "load_s": round(load_s, 2),
        "workers": args.workers,
        "encode_s": round(encode_s, 1),
        "encode_cpu_s": round(encode_cpu_s, 1),
        "presentations_per_s": round(args.n / encode_s, 1),
        "presentations_per_cpu_s": round(args.n / encode_cpu_s, 1),
        "fr": args.fr,
        "kr": args.kr,
        "fit_s_with_vectors": round(fit_s, 2),
        "rescore_one_with_encoding_ms": round(1000 * min(timings), 1),
        "rescore_one_with_encoding_cpu_ms": round(1000 * min(cpu_timings), 1),
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "encoding.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
