"""Korean particles after names: the helper, and every Korean message, reason and email rendered with Hangul and
romanised names shows no "은(는)"-style double particle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching import Reason, render_reasons
from matchmaker.matching.particles import CONSONANT, RIEUL, VOWEL, attach, final_sound, particle, resolve_particles
from matchmaker.models import OutboxMessage
from matchmaker.review import operations as ops
from matchmaker.taxonomy import load_taxonomy
from tests.review import factories as f

PACKAGE = Path(__file__).resolve().parents[1] / "matchmaker"
DOUBLE = re.compile(r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|와\(과\)|과\(와\)|\(으\)로")
#: Hangul names without a final consonant, with one, with ㄹ; romanised names ending in a vowel, a consonant, ㄹ.
NAMES = [
    "마포구",
    "종로구",
    "성남시",
    "인천광역시",
    "부천",
    "서울",
    "제주특별자치도",
    "Boulogne-Billancourt",
    "Lyon",
    "Mapo-gu",
    "Lille",
    "Busan",
    "Issy-les-Moulineaux",
    "Seoul",
    "Saint-Mandé",
]


@pytest.mark.parametrize(
    "name, topic, subject, obj, with_, towards",
    [
        ("마포구", "마포구는", "마포구가", "마포구를", "마포구와", "마포구로"),
        ("종로구", "종로구는", "종로구가", "종로구를", "종로구와", "종로구로"),
        ("성남시", "성남시는", "성남시가", "성남시를", "성남시와", "성남시로"),
        ("인천", "인천은", "인천이", "인천을", "인천과", "인천으로"),
        ("부천", "부천은", "부천이", "부천을", "부천과", "부천으로"),
        ("세종", "세종은", "세종이", "세종을", "세종과", "세종으로"),
        ("서울", "서울은", "서울이", "서울을", "서울과", "서울로"),  # ㄹ: 로, not 으로
        (
            "수원시 팔달구",
            "수원시 팔달구는",
            "수원시 팔달구가",
            "수원시 팔달구를",
            "수원시 팔달구와",
            "수원시 팔달구로",
        ),
    ],
)
def test_hangul_names_take_the_particle_of_their_last_syllable(name, topic, subject, obj, with_, towards):
    assert [attach(name, p) for p in ("은", "이", "을", "와", "(으)로")] == [topic, subject, obj, with_, towards]
    # any spelling of a particle names the same particle
    assert attach(name, "는") == attach(name, "은(는)") == topic and attach(name, "로") == towards


@pytest.mark.parametrize(
    "name, sound",
    [
        ("Mapo-gu", VOWEL),
        ("Gangnam-gu", VOWEL),
        ("Jeollanam-do", VOWEL),
        ("Busan", CONSONANT),
        ("Incheon", CONSONANT),
        ("Sejong", CONSONANT),
        ("Seoul", RIEUL),
        ("Ulsan", CONSONANT),
        ("Paris", VOWEL),
        ("Nantes", VOWEL),
        ("Boulogne-Billancourt", VOWEL),
        ("Issy-les-Moulineaux", VOWEL),
        ("Marseille", VOWEL),
        ("Strasbourg", VOWEL),
        ("Saint-Mandé", VOWEL),
        ("Bordeaux", VOWEL),
        ("Nice", VOWEL),
        ("Lyon", CONSONANT),
        ("Rennes", CONSONANT),
        ("Le Mans", CONSONANT),
        ("Nîmes", CONSONANT),
        ("Lille", RIEUL),
        ("Grenoble", RIEUL),
        ("CUF", VOWEL),
        ("EPCI", VOWEL),
        ("GAROK", CONSONANT),
        ("75056", CONSONANT),
        ("11", RIEUL),
        ("2", VOWEL),
        ("10", CONSONANT),
        ("Paris 13", CONSONANT),
        ("«Lyon»", CONSONANT),
        ("<strong>마포구</strong>", VOWEL),
        ("Seoul (서울특별시)", VOWEL),
        ("", None),
    ],
)
def test_names_are_read_aloud_as_korean_writes_them(name, sound):
    assert final_sound(name) == sound


def test_romanised_names_take_the_particle_of_how_they_are_read():
    assert attach("Boulogne-Billancourt", "와") == "Boulogne-Billancourt와"
    assert attach("Lyon", "와") == "Lyon과" and attach("Lyon", "(으)로") == "Lyon으로"
    assert attach("Lille", "(으)로") == "Lille로" and attach("Lille", "은") == "Lille은"
    assert attach("Mapo-gu", "은") == "Mapo-gu는" and attach("GAROK", "이") == "GAROK이"
    with pytest.raises(ValueError):
        particle("마포구", "의")


def test_double_particles_are_resolved_in_a_sentence_and_in_html():
    assert (
        resolve_particles("코드 75056은(는) ‘서울’(으)로, «Lyon»와(과) 구로구이(가)")
        == "코드 75056은 ‘서울’로, «Lyon»과 구로구가"
    )
    assert resolve_particles("<b>마포구</b>와(과) <b>Lyon</b>와(과)의 교류") == "<b>마포구</b>와 <b>Lyon</b>과의 교류"
    assert resolve_particles("(으)로 시작") == "으로 시작"  # nothing before: the written form, never a double one


def _placeholders(msgid: str) -> dict[str, object]:
    values = {}
    for name, kind in re.findall(r"%\((\w+)\)([sdif])", msgid):
        values[name] = 3 if kind in "dif" else None
    return values


def _korean_entries():
    for po in sorted(PACKAGE.glob("*/translations/ko/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale="ko"):
                if message.id and message.string:
                    yield po.parent.parent.parent.parent.name, message


def test_every_korean_message_reads_without_double_particles_with_any_name(app):
    """Every message of the Korean catalogs, its names replaced by Hangul and romanised names."""
    checked = 0
    with app.test_request_context("/"), force_locale("ko"):
        for area, message in _korean_entries():
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            values = _placeholders(msgid)
            for name in NAMES:
                filled = {key: (value if value is not None else name) for key, value in values.items()}
                if isinstance(message.id, tuple):
                    filled.pop("num", None)
                    text = ngettext(message.id[0], message.id[1], 3, **filled)
                else:
                    text = gettext(msgid, **filled) if filled else gettext(msgid)
                assert not DOUBLE.search(text), f"{area}: {text}"
                checked += 1
            # the same message through a template, as pages and emails render it
            if values and not isinstance(message.id, tuple):
                filled = {key: (value if value is not None else "Lyon") for key, value in values.items()}
                page = render_template_string("{{ _(msgid, **values) }}", msgid=msgid, values=filled)
                assert not DOUBLE.search(page), f"{area}: {page}"
    assert checked > 500


def test_reasons_in_korean_take_the_particle_of_each_name():
    taxonomy = load_taxonomy()
    reasons = [
        Reason("offers", {"offerer": "fr", "themes": ["smart_city"]}),
        Reason("preferred_level", {"chooser": "kr"}),
        Reason("text_concepts", {"codes": ["tourism"]}),
    ]
    for fr_name in ("Lyon", "Boulogne-Billancourt", "Lille"):
        for kr_name in ("마포구", "인천광역시", "서울", "Busan", "Mapo-gu"):
            for line in render_reasons(reasons, "ko", {"fr": fr_name, "kr": kr_name}, taxonomy):
                assert not DOUBLE.search(line), line
    lines = render_reasons(reasons, "ko", {"fr": "Lyon", "kr": "마포구"}, taxonomy)
    assert lines[0].startswith("Lyon은 ") and "마포구는 이를 찾고" in lines[0]
    assert lines[1] == "Lyon은 마포구가 원하는 행정 단위입니다"
    assert not DOUBLE.search(" ".join(render_reasons(reasons, "ko", {"fr": "Nantes", "kr": "구로구"}, taxonomy)))


@pytest.mark.parametrize(
    "kr_name, fr_name, kr_local",
    [
        ("Mapo-gu", "Lyon", "마포구"),
        ("Incheon", "Boulogne-Billancourt", "인천광역시"),
        ("Busan", "Lille", None),
    ],
)
def test_korean_emails_and_pages_name_each_side_with_its_particle(app, kr_name, fr_name, kr_local):
    """The introduction emails and the pair page, in Korean, with Hangul and romanised names."""
    with app.app_context():
        fr = f.collectivite(fr_name, "FR", "commune", themes={"smart_city": (3, "offer")}, email="fr@example.fr")
        kr = f.collectivite(
            kr_name, "KR", "gu", name_local=kr_local, themes={"smart_city": (3, "seek")}, email="kr@example.kr"
        )
        s = f.suggestion(
            fr,
            kr,
            reasons=[
                {"code": "offers", "params": {"offerer": "fr", "themes": ["smart_city"]}},
                {"code": "preferred_level", "params": {"chooser": "fr"}},
            ],
        )
        ops.decide(s, f.staff("CUF"), "approve")
        ops.decide(s, f.staff("GAROK"), "approve")
        reviewer = f.staff("GAROK", language="ko")
        db.session.commit()
        mails = db.session.scalars(select(OutboxMessage)).all()
        for mail in mails:
            for part in (mail.subject, mail.body_text, mail.body_html):
                assert not DOUBLE.search(part), part
        korean = [m for m in mails if m.language == "ko"]
        assert korean and any(fr_name in m.body_text for m in korean)
        pair_id, reviewer_email = s.id, reviewer.email
    client = app.test_client()
    f.login(client, reviewer_email)
    response = client.get(f"/staff/pairs/{pair_id}?lang=ko")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    assert "원하는 행정 단위입니다" in page and not DOUBLE.search(page)
