"""A collectivité's name for a reader: one rule for models, rows and typed answers."""

from __future__ import annotations

from matchmaker.models import Collectivite
from matchmaker.models.collectivite import reader_name


def test_korean_readers_read_hangul_others_the_romanised_name():
    guro = Collectivite(name="Guro-gu", name_local="구로구")
    assert guro.name_for("ko") == "구로구"
    assert guro.name_for("fr") == guro.name_for("en") == "Guro-gu"
    assert guro.name_for("fr", with_original=True) == "Guro-gu (구로구)"
    assert guro.name_for("ko", with_original=True) == "구로구"


def test_a_name_without_original_script_is_read_as_is():
    issy = Collectivite(name="Issy-les-Moulineaux", name_local="Issy-les-Moulineaux")
    assert issy.name_for("ko") == issy.name_for("fr", with_original=True) == "Issy-les-Moulineaux"
    assert reader_name("Lyon", None, "ko") == "Lyon"
    assert reader_name(None, "구로구", "fr") == "구로구"
    assert reader_name(None, None, "fr") == ""
