"""The keyword matcher: free text in French, Korean or English onto taxonomy concepts."""

from matchmaker.matching import ConceptTable, KeywordMatcher


def concepts_in(text, taxonomy):
    matcher = KeywordMatcher(ConceptTable.from_taxonomy(taxonomy))
    codes = [c.code for c in matcher.concepts.all]
    return {codes[i] for i in matcher.hits(text)}


def test_french_keywords_match_whole_words_ignoring_accents_case_and_plurals(taxonomy):
    assert concepts_in("VÉGÉTALISATION et îlots de fraîcheur", taxonomy) == {"environment_biodiversity"}
    assert concepts_in("Nos Festivals et nos musées", taxonomy) == {"culture_heritage"}


def test_latin_keywords_do_not_match_inside_other_words(taxonomy):
    # "festival" must not fire inside "festivalier" nor "jeunes" inside "jeunesses-x" style compounds
    assert concepts_in("les festivaliers", taxonomy) == set()


def test_korean_keywords_match_as_substrings_whatever_the_particles_and_spacing(taxonomy):
    assert concepts_in("도시숲을 만들고 녹지의 면적을 늘립니다", taxonomy) == {"environment_biodiversity"}
    assert concepts_in("스마트시티와 청소년 교류", taxonomy) == {"smart_city", "youth_education"}


def test_english_keywords_and_sectors(taxonomy):
    assert concepts_in("Smart city projects and an aerospace cluster", taxonomy) == {"smart_city", "aerospace"}


def test_french_and_korean_descriptions_meet_on_the_same_concept(taxonomy):
    assert concepts_in("végétalisation, îlots de fraîcheur", taxonomy) == concepts_in("도시 숲, 녹지", taxonomy)


def test_concepts_accept_dataclass_style_taxonomies(taxonomy):
    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    as_objects = Obj(
        themes=[
            Obj(code=t["code"], label=Obj(**t["label"]), keywords=Obj(**t["keywords"])) for t in taxonomy["themes"]
        ],
        sectors=[],
    )
    table = ConceptTable.from_taxonomy(as_objects)
    assert table.theme_codes == [t["code"] for t in taxonomy["themes"]]
    assert table.get("tourism").label("ko") == "관광"


def test_project_taxonomy_bridges_french_and_korean_texts():
    from matchmaker.matching import default_matcher
    from matchmaker.paths import DATA_DIR
    from matchmaker.taxonomy import load_taxonomy

    scorer = default_matcher(DATA_DIR)
    assert (
        concepts_in("végétalisation, îlots de fraîcheur", scorer.taxonomy)
        == concepts_in("도시 숲, 녹지", scorer.taxonomy)
        == {"environment_biodiversity"}
    )
    assert concepts_in("ville intelligente", scorer.taxonomy) == concepts_in("스마트시티를 추진", scorer.taxonomy)
    # the taxonomy module's dataclasses describe the same concepts
    assert ConceptTable.from_taxonomy(load_taxonomy()) == ConceptTable.from_taxonomy(scorer.taxonomy)
