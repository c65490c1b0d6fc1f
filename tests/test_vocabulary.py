"""The fixed codes of the design, one spelling each: the app's vocabulary and the matching library agree."""

from __future__ import annotations

import subprocess
import sys

from matchmaker import matching, vocabulary
from matchmaker.matching import codes


def test_the_fixed_codes_are_those_of_the_design():
    assert vocabulary.LANGUAGES == ("fr", "ko", "en")
    assert vocabulary.DEFAULT_LANGUAGE == "fr"
    assert vocabulary.COUNTRIES == ("FR", "KR")
    assert vocabulary.STANCES == ("offer", "seek", "both")
    assert vocabulary.ORGS == ("CUF", "GAROK")
    assert vocabulary.DIMENSIONS == ("themes", "complementarity", "sectors", "size", "text")
    assert vocabulary.COUNTRY_OF_ORG == {"CUF": "FR", "GAROK": "KR"}
    assert vocabulary.ORG_OF_COUNTRY == {"FR": "CUF", "KR": "GAROK"}
    assert vocabulary.LANGUAGE_OF_COUNTRY == {"FR": "fr", "KR": "ko"}


def test_the_library_and_the_app_read_the_same_codes():
    for name in ("COUNTRIES", "LANGUAGES", "STANCES", "DIMENSIONS"):
        assert getattr(vocabulary, name) is getattr(codes, name) is getattr(matching, name)
    assert tuple(matching.DEFAULT_WEIGHTS) == vocabulary.DIMENSIONS


def test_every_code_has_its_label():
    assert set(vocabulary.LANGUAGE_NAMES) == set(vocabulary.LANGUAGES)
    assert set(vocabulary.COUNTRY_LABELS) == set(vocabulary.COUNTRIES)
    assert set(vocabulary.STANCE_LABELS) == set(vocabulary.STANCES)
    assert set(vocabulary.ORG_LABELS) == set(vocabulary.ORGS)
    assert set(vocabulary.DIMENSION_LABELS) == set(vocabulary.DIMENSIONS)


def test_an_unknown_language_falls_back():
    assert vocabulary.known_language("ko") == "ko"
    assert vocabulary.known_language("de") == "fr"
    assert vocabulary.known_language(None, "en") == "en"


def test_reading_the_codes_and_the_normaliser_does_not_load_scikit_learn():
    code = (
        "import sys; import matchmaker.vocabulary, matchmaker.matching.text; "
        "print('sklearn' in sys.modules or 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
