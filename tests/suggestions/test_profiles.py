"""One shape between the database and the matcher: the nightly bulk read and one ORM response give the same record."""

from sqlalchemy import select

from matchmaker.matching import Profile
from matchmaker.models import Collectivite, Response, ThemeInterest
from matchmaker.questionnaire.record import response_to_record
from matchmaker.suggestions.profiles import load_profiles, matchable_responses, response_fingerprints, response_record
from tests.suggestions.factories import small_world, submitted


def test_the_bulk_read_and_one_orm_response_make_the_same_matching_records(db):
    # drafts with no identity yet (not matchable) come first, so response ids and collectivité ids differ
    db.session.add_all([Response(status="draft", contact_email=f"draft{n}@example.org") for n in range(3)])
    db.session.flush()
    small_world()
    submitted(
        "Lyon",
        "FR",
        "commune",
        520000,
        {"tourism": (1, "seek"), "culture_heritage": (3, "both")},
        sectors=["agrifood"],
        partner_levels=["metropolitan_city"],
        existing_partners=["Guro-gu"],
        description="Ville de musées ; festival des lumières.",
    )
    # a response with no theme, no code, no local name: the empty values must read the same both ways
    empty = submitted("Sans-thème", "FR", "commune", None, code=None)
    empty.collectivite.name_local = None
    db.session.commit()
    bulk = load_profiles()
    one_by_one = [response_record(r) for r in db.session.scalars(matchable_responses())]
    assert (
        [p["id"] for p in bulk] == [p["id"] for p in one_by_one] == sorted(db.session.scalars(select(Collectivite.id)))
    )
    assert bulk == one_by_one
    lyon = next(p for p in bulk if p["name"] == "Lyon")
    assert lyon["themes"] == {
        "culture_heritage": {"priority": 3, "stance": "both"},
        "tourism": {"priority": 1, "stance": "seek"},
    }
    assert (lyon["partner_levels"], lyon["existing_partners"]) == (["metropolitan_city"], ["Guro-gu"])
    blank = next(p for p in bulk if p["name"] == "Sans-thème")
    assert (blank["code"], blank["name_local"], blank["population"], blank["themes"]) == ("", "", None, {})
    # the matcher reads the record as a Profile; contact and consents are not part of it
    assert Profile.from_record(lyon).themes and "contact_email" not in lyon


def test_fingerprints_tell_which_responses_changed_and_whether_everyone_is_moved(db):
    small_world()
    lyon = submitted("Lyon", "FR", "commune", 520000, {"tourism": (1, "seek")}, description="Ville de musées.")
    db.session.commit()
    before = response_fingerprints()
    profiles = load_profiles()
    assert sorted(before) == [p["id"] for p in profiles]
    assert load_profiles([lyon.collectivite_id]) == [p for p in profiles if p["id"] == lyon.collectivite_id]
    assert response_fingerprints() == before  # read twice, nothing changed

    db.session.add(ThemeInterest(response_id=lyon.id, theme_code="culture_heritage", priority=2, stance="offer"))
    lyon.sectors = ["agrifood"]
    db.session.commit()
    after_answers = response_fingerprints()
    changed = {cid for cid in before if before[cid] != after_answers[cid]}
    assert changed == {lyon.collectivite_id}
    assert after_answers[lyon.collectivite_id].shared == before[lyon.collectivite_id].shared
    assert after_answers[lyon.collectivite_id].answers != before[lyon.collectivite_id].answers

    lyon.description = "Ville de musées et de jardins."
    db.session.commit()
    after_text = response_fingerprints()
    assert after_text[lyon.collectivite_id].shared != before[lyon.collectivite_id].shared
    assert after_text[lyon.collectivite_id].answers != after_answers[lyon.collectivite_id].answers


def test_the_matching_record_is_the_clean_records_identity_and_answers(db):
    response = submitted(
        "Nantes",
        "FR",
        "commune",
        320000,
        {"environment_biodiversity": (3, "offer")},
        sectors=["construction"],
        code="44109",
        description="Nature en ville.",
    )
    db.session.commit()
    clean, matching = response_to_record(response), response_record(response)
    assert clean["contact_email"] == "nantes@example.org" and clean["consent_share"] is True
    for name in (
        "name",
        "country",
        "level",
        "code",
        "population",
        "language",
        "themes",
        "sectors",
        "partner_levels",
        "existing_partners",
        "description",
    ):
        assert matching[name] == clean[name], name
    assert matching["id"] == response.collectivite_id
