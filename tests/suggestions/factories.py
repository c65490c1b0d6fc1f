"""Small builders of submitted responses for the suggestion tests (written straight to the database)."""

from matchmaker.extensions import db
from matchmaker.matching.text import search_key
from matchmaker.models import Collectivite, Response, ThemeInterest, utcnow


def submitted(
    name,
    country,
    level,
    population,
    themes=None,
    *,
    sectors=(),
    description="",
    name_local=None,
    code=None,
    partner_levels=(),
    existing_partners=(),
    language=None,
):
    """Create a collectivité with a submitted response; themes maps code -> (priority, stance)."""
    c = Collectivite(
        country=country,
        level=level,
        code=code,
        name=name,
        name_local=name_local or name,
        name_key=search_key(name),
        population=population,
    )
    r = Response(
        collectivite=c,
        status="submitted",
        language=language or ("fr" if country == "FR" else "ko"),
        contact_email=f"{search_key(name) or 'x'}@example.org",
        sectors=list(sectors),
        partner_levels=list(partner_levels),
        existing_partners=list(existing_partners),
        description=description,
        consent_contact=True,
        consent_share=True,
        submitted_at=utcnow(),
        version=1,
    )
    for code_, (priority, stance) in (themes or {}).items():
        r.themes.append(ThemeInterest(theme_code=code_, priority=priority, stance=stance))
    db.session.add_all([c, r])
    db.session.flush()
    return r


def small_world():
    """Three French and three Korean responses with clear best partners."""
    return {
        "issy": submitted(
            "Issy-les-Moulineaux",
            "FR",
            "commune",
            68000,
            {"smart_city": (3, "offer"), "youth_education": (2, "both"), "culture_heritage": (2, "seek")},
            sectors=["digital_ict"],
            code="92040",
        ),
        "nantes": submitted(
            "Nantes",
            "FR",
            "commune",
            320000,
            {"environment_biodiversity": (3, "offer"), "urban_planning": (2, "both")},
            sectors=["construction"],
            code="44109",
        ),
        "bretagne": submitted(
            "Bretagne",
            "FR",
            "region",
            3400000,
            {"agriculture_food": (3, "offer"), "fisheries_maritime": (1, "both"), "tourism": (2, "both")},
            sectors=["agrifood", "fisheries_maritime"],
            code="53",
        ),
        "guro": submitted(
            "Guro-gu",
            "KR",
            "gu",
            400000,
            {"smart_city": (3, "seek"), "youth_education": (2, "both"), "culture_heritage": (2, "offer")},
            sectors=["digital_ict"],
            name_local="구로구",
            code="11530",
        ),
        "suncheon": submitted(
            "Suncheon-si",
            "KR",
            "si",
            280000,
            {"environment_biodiversity": (3, "seek"), "urban_planning": (2, "both")},
            sectors=["construction"],
            name_local="순천시",
            code="46150",
        ),
        "jeonnam": submitted(
            "Jeollanam-do",
            "KR",
            "province",
            1800000,
            {"agriculture_food": (3, "seek"), "tourism": (2, "both")},
            sectors=["agrifood", "fisheries_maritime"],
            name_local="전라남도",
            code="46",
        ),
    }
