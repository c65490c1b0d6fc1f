"""The good-practice booklet: what respondents offer, in their own words, with the concepts found; FR and KO
headings; a PDF whose fonts carry Hangul."""

from __future__ import annotations

import re
import zlib

from matchmaker.outreach.booklet import booklet_entries, concepts_in
from tests.review.factories import collectivite


def pdf_objects(data: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated (font names live in object streams)."""
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def make():
    issy = collectivite(
        "Issy-les-Moulineaux",
        "FR",
        "commune",
        themes={"smart_city": (3, "offer")},
        description="Capteurs, données ouvertes et navette autonome : la ville intelligente au quotidien.",
    )
    guro = collectivite(
        "Guro-gu",
        "KR",
        "gu",
        name_local="구로구",
        themes={"smart_city": (2, "both")},
        description="구로구는 스마트시티 정책과 디지털 행정을 공유할 수 있습니다.",
    )
    collectivite("Lyon", "FR", "commune", themes={"smart_city": (3, "seek")}, description="Nous cherchons.")
    collectivite("Private", "FR", "commune", themes={"smart_city": (3, "offer")}, consent_share=False)
    return issy, guro


def test_entries_are_the_shared_responses_that_offer_the_theme_with_their_concepts(db):
    issy, guro = make()
    entries = booklet_entries("smart_city")
    assert [e.collectivite.name for e in entries] == ["Issy-les-Moulineaux", "Guro-gu"]
    assert "smart_city" in entries[0].concepts and "smart_city" in entries[1].concepts
    assert booklet_entries("tourism") == []
    assert {e.collectivite.name for e in booklet_entries()} == {"Issy-les-Moulineaux", "Guro-gu"}
    assert "smart_city" in concepts_in("스마트시티")


def test_staff_read_the_booklet_and_download_its_pdf_with_hangul_fonts(db, client):
    from tests.review.factories import login, staff

    make()
    user = staff("CUF")
    db.session.commit()
    assert client.get("/staff/booklet").status_code == 302  # staff only
    login(client, user)
    page = client.get("/staff/booklet?theme=smart_city").get_data(as_text=True)
    assert "Recueil de bonnes pratiques" in page and "우수 사례집" in page and "구로구는 스마트시티" in page
    assert "Private" not in page and "@" not in page.split('class="booklet"', 1)[1]
    pdf = client.get("/staff/booklet.pdf?theme=smart_city")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and b"Noto-Sans-CJK-KR" in pdf_objects(pdf.data)
