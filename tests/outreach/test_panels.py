"""Seminar panels: two French and two Korean collectivités that offer the theme, of distinct levels and sizes,
not in recent panels, or the reason why not; fixing a panel invites its members through the outbox."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.models import OutboxMessage, SeminarPanel
from matchmaker.outreach.panels import fix_panel, propose_panel
from tests.review.factories import collectivite

OFFER = {"culture_heritage": (3, "offer")}


def world():
    return {
        "lyon": collectivite("Lyon", "FR", "commune", population=520_000, themes=OFFER),
        "rhone": collectivite(
            "Rhône", "FR", "departement", population=1_900_000, themes={"culture_heritage": (2, "both")}
        ),
        "vienne": collectivite("Vienne", "FR", "commune", population=30_000, themes=OFFER),
        "seeker": collectivite("Nantes", "FR", "commune", population=320_000, themes={"culture_heritage": (3, "seek")}),
        "gyeongju": collectivite("Gyeongju-si", "KR", "si", name_local="경주시", population=260_000, themes=OFFER),
        "jongno": collectivite("Jongno-gu", "KR", "gu", name_local="종로구", population=140_000, themes=OFFER),
        "andong": collectivite("Andong-si", "KR", "si", name_local="안동시", population=150_000, themes=OFFER),
        "gyeongbuk": collectivite(
            "Gyeongsangbuk-do",
            "KR",
            "province",
            name_local="경상북도",
            population=2_500_000,
            themes={"culture_heritage": (1, "offer")},
        ),
    }


def test_a_proposal_has_two_per_country_of_distinct_levels_that_offer_the_theme(db):
    w = world()
    proposal = propose_panel("culture_heritage")
    assert proposal.ok
    for country in ("FR", "KR"):
        members = proposal.members[country]
        assert len(members) == 2 and len({m.collectivite.level for m in members}) == 2
        assert all(m.collectivite.country == country for m in members)
    assert w["seeker"].id not in {m.collectivite.id for ms in proposal.members.values() for m in ms}


def test_members_of_recent_panels_are_not_proposed_and_fixing_invites_them(db):
    w = world()
    panel = fix_panel("culture_heritage", [w["lyon"].id, w["rhone"].id, w["gyeongju"].id, w["jongno"].id])
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "seminar-panel")).all()
    assert len(mails) == 4 and {m.language for m in mails} == {"fr", "ko"}
    korean = next(m for m in mails if m.language == "ko")
    assert "종로구" in korean.body_text or "경주시" in korean.body_text
    again = propose_panel("culture_heritage")
    # Lyon and Rhône were just used: Vienne is left alone in France, so no French pair
    assert ("all_recent", {"country": "FR", "count": 3}) in again.problems
    assert {m.collectivite.id for m in again.members["KR"]} == {w["andong"].id, w["gyeongbuk"].id}
    assert db.session.scalar(select(SeminarPanel.member_ids)) == panel.member_ids


def test_no_panel_without_two_offers_of_distinct_levels_and_the_reason_says_so(db):
    collectivite("Lyon", "FR", "commune", themes=OFFER)
    collectivite("Vienne", "FR", "commune", themes=OFFER)
    collectivite("Gyeongju-si", "KR", "si", themes=OFFER)
    proposal = propose_panel("culture_heritage")
    assert not proposal.ok
    assert ("one_level", {"country": "FR", "level": "commune"}) in proposal.problems
    assert ("too_few", {"country": "KR", "count": 1}) in proposal.problems


def test_staff_adjust_and_fix_a_panel_on_the_page(db, client):
    from tests.review.factories import login, post, staff

    w = world()
    user = staff("GAROK")
    db.session.commit()
    login(client, user)
    page = client.get("/staff/panels?theme=culture_heritage").get_data(as_text=True)
    assert (
        "경주시" in page
        and "Lyon" in page
        and "@" not in page.split("<main", 1)[1].split("</main>")[0].replace(user.email, "")
    )
    wrong = post(
        client,
        "/staff/panels",
        {"theme": "culture_heritage", "member": [w["lyon"].id, w["vienne"].id, w["rhone"].id, w["jongno"].id]},
    )
    assert wrong.status_code == 422
    done = post(
        client,
        "/staff/panels",
        {"theme": "culture_heritage", "member": [w["vienne"].id, w["rhone"].id, w["andong"].id, w["jongno"].id]},
    )
    assert done.status_code == 302
    assert sorted(db.session.scalar(select(SeminarPanel.member_ids))) == sorted(
        [w["vienne"].id, w["rhone"].id, w["andong"].id, w["jongno"].id]
    )
