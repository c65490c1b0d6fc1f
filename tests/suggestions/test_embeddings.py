"""Presentations' encoder vectors: stored once per text on import and save, back-filled, read by the recompute."""

import json

import numpy as np
from sqlalchemy import func, select

from matchmaker.matching.encoder import default_encoder
from matchmaker.matching.sentences import split_sentences
from matchmaker.models import ResponseEmbedding, Suggestion
from matchmaker.questionnaire.operations import import_file, submit_response
from matchmaker.questionnaire.validation import validate_record
from matchmaker.suggestions import operations as ops
from matchmaker.suggestions.embeddings import backfill_embeddings, load_embeddings, vectors_of
from matchmaker.suggestions.profiles import load_profiles
from tests.questionnaire.conftest import fr_record, kr_record
from tests.suggestions.factories import submitted

SHORT_KOREAN = "해양 관광, 수산업, 항만 물류, 청소년 교류."
FRENCH = (
    "Ville portuaire tournée vers la mer : tourisme maritime, pêche et logistique du port. "
    "Nos jeunes partent chaque été en échange à l'étranger."
)


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def rows(db):
    return {row.response.collectivite.code: row for row in db.session.scalars(select(ResponseEmbedding))}


def test_import_accepts_a_short_korean_list_of_topics_and_stores_its_vectors(db, tmp_path):
    records = [
        fr_record(themes={}, description=FRENCH, existing_partners=[]),
        kr_record(themes={}, description=SHORT_KOREAN),
    ]
    report = import_file(write_jsonl(tmp_path / "r.jsonl", records))
    assert report.ok and report.imported == 2
    stored = rows(db)
    assert set(stored) == {"92040", "11530"}
    document, sentences = vectors_of(stored["92040"])
    assert document.shape == (512,) and abs(np.linalg.norm(document) - 1) < 0.01
    assert sentences.shape == (len(split_sentences(FRENCH)), 512) == (2, 512)
    assert stored["11530"].sentence_count == 1


def test_a_new_version_with_the_same_text_is_not_encoded_again_and_a_new_text_is(db, tmp_path):
    import_file(write_jsonl(tmp_path / "a.jsonl", [kr_record(themes={}, description=SHORT_KOREAN)]))
    first = rows(db)["11530"]
    first_key, first_document = first.text_sha256, first.document
    first.document = b"kept"  # marks the row: re-encoding the same text would overwrite it
    db.session.commit()
    import_file(
        write_jsonl(tmp_path / "b.jsonl", [kr_record(themes={}, description=SHORT_KOREAN, contact_name="이수진")])
    )
    assert rows(db)["11530"].document == b"kept"
    import_file(
        write_jsonl(
            tmp_path / "c.jsonl",
            [kr_record(themes={}, description="학교 숲 조성, 도시 농업, 자전거 도로, 청소년 교류.")],
        )
    )
    row = rows(db)["11530"]
    assert row.text_sha256 != first_key and row.document not in (b"kept", first_document)
    assert db.session.scalar(select(func.count()).select_from(ResponseEmbedding)) == 1


def test_submitting_from_the_form_stores_the_vectors(db):
    clean, errors = validate_record(kr_record(themes={}, description=SHORT_KOREAN), "ko")
    assert errors == {}
    response = submit_response(clean, "web")
    db.session.commit()
    row = db.session.get(ResponseEmbedding, response.id)
    assert row is not None and row.sentence_count == 1


def test_backfill_encodes_only_what_is_missing_and_the_recompute_reads_the_vectors(db):
    fr = submitted("Brest", "FR", "commune", 140000, description=FRENCH, code="29019")
    kr = submitted("Tongyeong-si", "KR", "si", 120000, description=SHORT_KOREAN, name_local="통영시", code="48220")
    other = submitted(
        "Gwangmyeong-si",
        "KR",
        "si",
        280000,
        description="반도체 공장과 대형 쇼핑몰이 있는 산업 도시입니다.",
        name_local="광명시",
        code="41210",
    )
    db.session.commit()
    assert backfill_embeddings() == {"responses": 3, "encoded": 3, "removed": 0}
    assert backfill_embeddings()["encoded"] == 0
    profiles = {p["id"]: p for p in load_profiles()}
    assert profiles[fr.collectivite_id]["embedding"].shape == (512,)
    # a description changed behind the encoder's back is never read with the old vectors
    kr.description = "완전히 다른 소개글입니다."
    db.session.commit()
    assert kr.id not in load_embeddings({kr.id: kr.description, fr.id: fr.description})
    kr.description = SHORT_KOREAN
    db.session.commit()
    ops.recompute_suggestions(top_k=2)
    db.session.commit()
    best = db.session.scalar(
        select(Suggestion).where(Suggestion.fr_id == fr.collectivite_id).order_by(Suggestion.rank_fr)
    )
    assert best.kr_id == kr.collectivite_id and best.score_text > 0
    quoted = [r for r in best.reasons if r["code"] == "close_sentences"]
    assert quoted and quoted[0]["params"]["kr"] == SHORT_KOREAN and quoted[0]["params"]["fr"] in split_sentences(FRENCH)
    assert other.collectivite_id != best.kr_id


def test_the_embed_command_back_fills_and_says_what_it_did(db, runner):
    submitted("Brest", "FR", "commune", 140000, description=FRENCH, code="29019")
    submitted("Tongyeong-si", "KR", "si", 120000, description=SHORT_KOREAN, name_local="통영시", code="48220")
    submitted("Sans-texte", "FR", "commune", 1000, description="", code="99999")
    db.session.commit()
    result = runner.invoke(args=["embed"])
    assert result.exit_code == 0, result.output
    assert "3 responses: 2 presentations encoded" in result.output
    assert db.session.scalar(select(func.count()).select_from(ResponseEmbedding)) == 2
    assert "0 presentations encoded" in runner.invoke(args=["embed"]).output


def test_a_parallel_backfill_stores_what_one_process_would(db):
    """Two worker processes, batches of two: the same vectors as encoding in this process, every row written."""
    texts = [
        FRENCH,
        SHORT_KOREAN,
        "Commune rurale : agriculture biologique et circuits courts.",
        "스마트시티와 탄소중립을 추진하는 도시입니다.",
        "A port city working on offshore wind and maritime training.",
    ]
    made = [
        submitted(
            f"Commune {i}",
            "FR" if i % 2 == 0 else "KR",
            "commune" if i % 2 == 0 else "si",
            10000 + i,
            description=text,
            code=f"9{i:04d}",
        )
        for i, text in enumerate(texts)
    ]
    db.session.commit()
    assert backfill_embeddings(workers=2, batch=2) == {"responses": 5, "encoded": 5, "removed": 0}
    expected = default_encoder().encode(texts)
    for response, vectors in zip(made, expected):
        document, sentences = vectors_of(db.session.get(ResponseEmbedding, response.id))
        assert np.allclose(document, vectors.document, atol=2e-3)
        assert sentences.shape == vectors.sentences.shape
    assert backfill_embeddings(workers=2, batch=2)["encoded"] == 0
