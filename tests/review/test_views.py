"""Staff pages of the review workspace, through HTTP: list with filters, sorting and keyset pages; the pair
page; decisions through the form; dashboard; exports; weights."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matchmaker.models import ReviewDecision, Suggestion
from matchmaker.review.queries import PAGE_SIZE
from tests.review import factories as f


def pair_ids(html: str) -> list[int]:
    """Ids of the pairs listed on a page, in order."""
    return [int(m) for m in re.findall(r'href="/staff/pairs/(\d+)\?', html)]


def next_link(html: str, rel: str) -> str | None:
    m = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return m.group(1).replace("&amp;", "&") if m else None


@pytest.fixture
def world(db):
    """Six collectivités and a handful of pairs with distinct scores, states and themes."""
    issy, guro = f.issy_and_guro()
    lyon = f.collectivite("Lyon", "FR", "metropole", region="Auvergne-Rhône-Alpes", population=1_400_000)
    bretagne = f.collectivite("Bretagne", "FR", "region", region="Bretagne", population=3_400_000)
    busan = f.collectivite(
        "Busan", "KR", "metropolitan_city", name_local="부산광역시", region="부산광역시", population=3_300_000
    )
    jeonnam = f.collectivite(
        "Jeollanam-do", "KR", "province", name_local="전라남도", region="전라남도", population=1_800_000
    )
    pairs = {
        "issy-guro": f.suggestion(issy, guro, 0.91, themes=("smart_city", "youth_education")),
        "lyon-busan": f.suggestion(lyon, busan, 0.82, themes=("mobility",)),
        "bretagne-jeonnam": f.suggestion(bretagne, jeonnam, 0.77, themes=("agriculture_food", "tourism")),
        "lyon-guro": f.suggestion(lyon, guro, 0.55, themes=("smart_city",), state="rejected", garok_decision="reject"),
        "issy-busan": f.suggestion(issy, busan, 0.43, themes=("culture_heritage",), cuf_decision="approve"),
    }
    db.session.commit()
    return {k: v.id for k, v in pairs.items()}


@pytest.fixture
def cuf_client(client, db):
    user = f.staff("CUF", language="fr")
    db.session.commit()
    f.login(client, user)
    return client


def listed(client, query=""):
    response = client.get("/staff/pairs" + query)
    assert response.status_code == 200
    return pair_ids(response.get_data(as_text=True))


def test_the_list_shows_pairs_best_first(cuf_client, world):
    html = cuf_client.get("/staff/pairs").get_data(as_text=True)
    assert pair_ids(html) == [
        world[k] for k in ("issy-guro", "lyon-busan", "bretagne-jeonnam", "lyon-guro", "issy-busan")
    ]
    assert "Issy-les-Moulineaux" in html and "Guro-gu (구로구)" in html and "5 paires" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?state=rejected", ["lyon-guro"]),
        ("?theme=smart_city", ["issy-guro", "lyon-guro"]),
        ("?fr_level=metropole", ["lyon-busan", "lyon-guro"]),
        ("?kr_level=province", ["bretagne-jeonnam"]),
        ("?fr_region=Bretagne", ["bretagne-jeonnam"]),
        ("?kr_region=%EB%B6%80%EC%82%B0%EA%B4%91%EC%97%AD%EC%8B%9C", ["lyon-busan", "issy-busan"]),  # 부산광역시
        ("?min_score=80", ["issy-guro", "lyon-busan"]),
        ("?q=%EA%B5%AC%EB%A1%9C", ["issy-guro", "lyon-guro"]),  # 구로, in Hangul
        ("?q=issy", ["issy-guro", "issy-busan"]),
        ("?awaiting=1", ["issy-guro", "lyon-busan", "bretagne-jeonnam"]),  # CUF already approved issy-busan
        ("?theme=smart_city&state=suggested", ["issy-guro"]),
        ("?sort=fr_name", ["bretagne-jeonnam", "issy-guro", "issy-busan", "lyon-busan", "lyon-guro"]),
        ("?sort=score&direction=asc", ["issy-busan", "lyon-guro", "bretagne-jeonnam", "lyon-busan", "issy-guro"]),
    ],
)
def test_filters_and_sorts(cuf_client, world, query, expected):
    ids = listed(cuf_client, query)
    if "sort=fr_name" in query:  # ties on the name are ordered by id: compare as groups
        names = [k.split("-")[0] for k in expected]
        assert [next(k for k, v in world.items() if v == i).split("-")[0] for i in ids] == names
    else:
        assert ids == [world[k] for k in expected]


def test_awaiting_means_awaiting_the_readers_own_association(client, db, world):
    garok = f.staff("GAROK")
    db.session.commit()
    f.login(client, garok)
    # GAROK has rejected lyon-guro (closed) and not decided the others.
    assert listed(client, "?awaiting=1") == [
        world[k] for k in ("issy-guro", "lyon-busan", "bretagne-jeonnam", "issy-busan")
    ]


def test_nonsense_in_the_query_never_breaks_the_list(cuf_client, world):
    from matchmaker.review.queries import encode_cursor

    forged = [encode_cursor(0.5, 10**25), encode_cursor(float("inf"), 1), encode_cursor("x", 1), encode_cursor(0.5, -1)]
    for cursor in forged:
        for sort in ("score", "fr_name", "updated"):
            assert cuf_client.get(f"/staff/pairs?sort={sort}&after={cursor}").status_code == 200
            assert cuf_client.get(f"/staff/pairs?sort={sort}&before={cursor}").status_code == 200
    for query in (
        "?sort=drop+table",
        "?min_score=abc",
        "?min_score=-5",
        "?after=%%%",
        "?before=bm90IGpzb24",
        "?state=everything",
        "?collectivite=99999999999",
        "?after=WzEsMl0",
        "?direction=sideways",
        "?q=" + "x" * 500,
        "?theme=unknown",
    ):
        assert cuf_client.get("/staff/pairs" + query).status_code == 200, query


def test_keyset_pages_cover_every_pair_once_forwards_and_backwards(cuf_client, db):
    issy, guro = f.issy_and_guro()
    others = [f.collectivite(f"Ville {n}", "FR") for n in range(PAGE_SIZE * 2 + 10)]
    scores = {}
    for n, c in enumerate(others):
        s = f.suggestion(c, guro, score=round(0.3 + (n % 37) / 100, 2))  # many equal scores: ties across pages
        scores[s.id] = s.score_total
    db.session.commit()
    expected = sorted(scores, key=lambda i: (-scores[i], -i))
    html = cuf_client.get("/staff/pairs").get_data(as_text=True)
    pages = [pair_ids(html)]
    assert next_link(html, "prev") is None and "Plus de" not in html
    while link := next_link(html, "next"):
        html = cuf_client.get(link).get_data(as_text=True)
        pages.append(pair_ids(html))
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 10]
    assert sum(pages, []) == expected
    # back from the last page: the previous page is exactly the second page, then the first
    back = cuf_client.get(next_link(html, "prev")).get_data(as_text=True)
    assert pair_ids(back) == pages[1]
    first = cuf_client.get(next_link(back, "prev")).get_data(as_text=True)
    assert pair_ids(first) == pages[0]


def test_the_count_is_capped(cuf_client, db, monkeypatch):
    from matchmaker.review import queries

    monkeypatch.setattr(queries, "COUNT_CAP", PAGE_SIZE + 2)
    issy, guro = f.issy_and_guro()
    for n in range(PAGE_SIZE + 10):
        f.suggestion(f.collectivite(f"Ville {n}", "FR"), guro)
    db.session.commit()
    html = cuf_client.get("/staff/pairs").get_data(as_text=True)
    assert f"Plus de {PAGE_SIZE + 2} paires" in html
    assert "1 paire correspond" in cuf_client.get("/staff/pairs?q=Ville+7").get_data(as_text=True)  # exact, one page


def test_a_slow_count_gives_way_to_more_than_n(cuf_client, db, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the count time limit is a PostgreSQL statement timeout")
    from sqlalchemy import text

    from matchmaker.review import queries

    issy, guro = f.issy_and_guro()
    for n in range(PAGE_SIZE + 10):
        f.suggestion(f.collectivite(f"Ville {n}", "FR"), guro)
    db.session.commit()
    real_filtered = queries.filtered

    def slow_count(stmt, filters, org):  # the count selects ids only: make it slower than the limit
        stmt = real_filtered(stmt, filters, org)
        return stmt.where(text("pg_sleep(0.01) IS NOT NULL")) if len(stmt.selected_columns) == 1 else stmt

    monkeypatch.setattr(queries, "filtered", slow_count)
    monkeypatch.setattr(queries, "COUNT_TIMEOUT_MS", 20)
    html = cuf_client.get("/staff/pairs").get_data(as_text=True)
    assert f"Plus de {PAGE_SIZE} paires" in html and len(pair_ids(html)) == PAGE_SIZE
    # the transaction is still usable after the cancelled count: the next page works too
    assert len(pair_ids(cuf_client.get(next_link(html, "next")).get_data(as_text=True))) == 10


def test_the_pair_page_shows_both_profiles_scores_reasons_and_history(cuf_client, world):
    html = cuf_client.get(f"/staff/pairs/{world['issy-guro']}").get_data(as_text=True)
    assert "Issy-les-Moulineaux" in html and "구로구" in html
    assert "Ville pionnière de la ville intelligente." in html and "스마트시티 정책을 배우고 싶습니다." in html
    assert 'role="img"' in html and "<title" in html  # score bars with an accessible name
    assert "Issy-les-Moulineaux propose" in html  # the reasons, in French
    assert "relations@issy.example.fr" in html  # CUF sees the French contact …
    assert "intl@guro.example.kr" not in html  # … not the Korean one
    assert "Suggérée par le moteur" in html


def test_the_pair_page_names_declared_partners_behind_their_codes(cuf_client, db, world):
    pair = db.session.get(Suggestion, world["lyon-busan"])
    pair.fr.response.existing_partners = ["KR:47", "KR:26000", "KR:99999", "Ville de Yokohama"]
    pair.kr.code = "26000"
    pair.kr.response.existing_partners = ["FR:11"]
    db.session.commit()
    html = cuf_client.get(f"/staff/pairs/{pair.id}").get_data(as_text=True)
    # a Korean code from the reference lists, in the French reader's form
    assert 'Gyeongsangbuk-do (경상북도)</span> <span class="muted">(KR:47)</span>' in html
    assert 'Busan (부산광역시)</span> <span class="muted">(KR:26000)</span>' in html  # a collectivité that answered
    assert "<li>KR:99999</li>" in html and "<li>Ville de Yokohama</li>" in html  # unknown code, free name: as typed
    # "11" is both the département of Aude and the région Île-de-France: both are named
    assert '<span lang="fr">Aude</span> / <span lang="fr">Île-de-France</span>' in html


def test_a_korean_reviewer_reads_the_pair_page_in_korean(app, client):
    # No app context is held around the requests: each request gets its own, as in production
    # (a shared one would keep the first request's locale in ``g``).
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        pair_id = f.suggestion(issy, guro).id
        email = f.staff("GAROK", language="ko").email
        db.session.commit()
    f.login(client, email)
    html = client.get(f"/staff/pairs/{pair_id}").get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "추천 이유" in html and "GAROK 승인" in html and "구로구" in html
    assert "스마트시티" in html  # theme labels and reasons in Korean
    assert "intl@guro.example.kr" in html and "relations@issy.example.fr" not in html
    listing = client.get("/staff/pairs").get_data(as_text=True)
    assert "추천 매칭" in listing and "조건에 맞는 매칭: 1건" in listing and ">구로구<" in listing


def test_approving_through_the_form_records_the_users_association_only(client, db, world):
    garok = f.staff("GAROK")
    db.session.commit()
    f.login(client, garok)
    response = f.post(
        client,
        f"/staff/pairs/{world['lyon-busan']}/decision",
        data={"decision": "approve", "org": "CUF", "cuf_decision": "approve", "note": "좋습니다"},
    )
    assert response.status_code == 302
    s = db.session.get(Suggestion, world["lyon-busan"])
    db.session.refresh(s)
    assert (s.cuf_decision, s.garok_decision) == (None, "approve")
    assert db.session.scalar(select(ReviewDecision.org)) == "GAROK"


def test_a_closed_pair_cannot_be_decided_again(cuf_client, db, world):
    response = f.post(
        cuf_client, f"/staff/pairs/{world['lyon-guro']}/decision", data={"decision": "approve"}, follow_redirects=True
    )
    assert "ne peut plus être approuvée" in response.get_data(as_text=True)
    assert db.session.get(Suggestion, world["lyon-guro"]).cuf_decision is None


def test_notes_and_unknown_pairs(cuf_client, db, world):
    response = f.post(
        cuf_client,
        f"/staff/pairs/{world['issy-guro']}/notes",
        data={"text": "Appeler la mairie"},
        follow_redirects=True,
    )
    assert "Appeler la mairie" in response.get_data(as_text=True)
    assert cuf_client.get("/staff/pairs/999999").status_code == 404
    assert f.post(cuf_client, "/staff/pairs/999999/decision", data={"decision": "approve"}).status_code == 404


def test_the_dashboard_counts_and_draws(cuf_client, db, world):
    f.collectivite("Seul-sur-Mer", "FR", "commune")
    db.session.commit()
    html = cuf_client.get("/staff/dashboard").get_data(as_text=True)
    assert html.count("<svg") >= 5 and "<desc" in html
    assert "Seul-sur-Mer" in html and "Issy-les-Moulineaux</td>" not in html
    # funnel: 5 suggested, 0 approved by both
    assert "Paires suggérées</th><td>5</td>" in html
    assert "Approuvées par les deux associations</th><td>0</td>" in html


def test_pairs_export_keeps_korean_and_neutralises_formulas(cuf_client, db, world):
    evil = f.collectivite('=HYPERLINK("http://x")', "FR")
    f.suggestion(evil, db.session.get(Suggestion, world["issy-guro"]).kr, 0.99)
    db.session.commit()
    response = cuf_client.get("/staff/export/pairs.csv?theme=smart_city")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["fr_name"] for r in rows][0] == '\'=HYPERLINK("http://x")'
    assert {r["kr_name_local"] for r in rows} == {"구로구"}
    assert len(rows) == 3  # the filter applies

    xlsx = cuf_client.get("/staff/export/pairs.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[0]
    assert values[1][header.index("fr_name")] == '\'=HYPERLINK("http://x")'
    assert "구로구" in [v[header.index("kr_name_local")] for v in values[1:]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert cuf_client.get("/staff/export/pairs.pdf").status_code == 404


def test_outcomes_export(cuf_client, db, world):
    from datetime import date

    from matchmaker.review import operations as ops

    s = db.session.get(Suggestion, world["issy-guro"])
    s.state = "mutual"
    ops.record_outcome(s, f.staff("CUF"), "agreement", date(2026, 5, 4), "+33 signé à 구로구")
    db.session.commit()
    rows = list(
        csv.DictReader(io.StringIO(cuf_client.get("/staff/export/outcomes.csv").get_data().decode("utf-8-sig")))
    )
    assert rows[0]["kind"] == "agreement" and rows[0]["happened_on"] == "2026-05-04"
    assert rows[0]["note"] == "'+33 signé à 구로구" and rows[0]["kr_name_local"] == "구로구"
    sheet = load_workbook(io.BytesIO(cuf_client.get("/staff/export/outcomes.xlsx").get_data())).active
    assert [c.value for c in sheet[2]][7] == "'+33 signé à 구로구"


def test_weights_are_for_admins(cuf_client):
    assert cuf_client.get("/staff/weights").status_code == 403
    assert f.post(cuf_client, "/staff/weights", data={"action": "apply"}).status_code == 403


def test_an_admin_rejects_bad_weights(client, db):
    admin = f.staff("CUF", "admin")
    db.session.commit()
    f.login(client, admin)
    page = client.get("/staff/weights")
    assert page.status_code == 200 and 'name="w_themes"' in page.get_data(as_text=True)
    bad = f.post(
        client,
        "/staff/weights",
        data={
            "w_themes": "abc",
            "w_complementarity": "0",
            "w_sectors": "0",
            "w_size": "0",
            "w_text": "0",
            "action": "apply",
        },
    )
    assert bad.status_code == 400
    zero = f.post(
        client,
        "/staff/weights",
        data={f"w_{d}": "0" for d in ("themes", "complementarity", "sectors", "size", "text")} | {"action": "apply"},
    )
    assert zero.status_code == 400


def test_an_admin_previews_then_applies_weights(client, app):
    from matchmaker.models import Setting
    from matchmaker.suggestions.operations import current_weights, recompute_suggestions

    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        f.collectivite(
            "Lyon",
            "FR",
            "metropole",
            population=520_000,
            themes={"mobility": (3, "offer"), "culture_heritage": (2, "both")},
        )
        f.collectivite(
            "Busan",
            "KR",
            "metropolitan_city",
            name_local="부산광역시",
            population=3_300_000,
            themes={"mobility": (3, "seek"), "culture_heritage": (3, "both")},
        )
        recompute_suggestions(top_k=2)
        email = f.staff("CUF", "admin").email
        db.session.commit()
        before = current_weights()
    f.login(client, email)
    form = {"w_themes": "10", "w_complementarity": "10", "w_sectors": "10", "w_size": "60", "w_text": "10"}
    preview = f.post(client, "/staff/weights", data={**form, "action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Effet sur le classement actuel" in html and "Issy-les-Moulineaux" in html
    with app.app_context():
        from matchmaker.extensions import db

        assert current_weights() == before  # a preview changes nothing
    applied = f.post(client, "/staff/weights", data={**form, "action": "apply"})
    assert applied.status_code == 302
    with app.app_context():
        from matchmaker.extensions import db

        weights = current_weights()
        assert round(weights["size"], 2) == 0.6 and round(weights["themes"], 2) == 0.1
        assert db.session.get(Setting, "matching.weights").updated_by_id is not None
    page = client.get("/staff/weights").get_data(as_text=True)
    assert 'value="60.0"' in page


def _decided_pairs(approved: int, rejected: int):
    """Pairs decided by staff: the approved ones share themes (high theme score), the rejected ones do not."""
    for n in range(approved + rejected):
        fr = f.collectivite(f"Commune {n}", "FR", "commune")
        kr = f.collectivite(f"Si {n}", "KR", "si", name_local=f"시{n}")
        good = n < approved
        f.suggestion(
            fr,
            kr,
            0.5,
            dims={"themes": 0.9 - n * 0.01 if good else 0.1 + n * 0.01, "size": 0.5},
            state="suggested" if good else "rejected",
            cuf_decision="approve" if good else "reject",
        )


def test_an_admin_learns_weights_from_decisions_previews_them_and_applies_them(client, app):
    from matchmaker.suggestions.operations import current_weights

    with app.app_context():
        from matchmaker.extensions import db

        _decided_pairs(approved=3, rejected=3)
        email = f.staff("CUF", "admin", language="en").email
        db.session.commit()
        before = current_weights()
    f.login(client, email)
    page = client.get("/staff/weights").get_data(as_text=True)
    assert "Decided pairs: 3 approved, 3 rejected." in page
    assert 'value="learn"' not in page and "At least 5 approved and 5 rejected pairs are needed." in page
    too_early = f.post(client, "/staff/weights", data={"action": "learn"})
    assert too_early.status_code == 200 and "There are not enough decided pairs yet" in too_early.get_data(as_text=True)
    assert "Please correct the weights" not in too_early.get_data(as_text=True)

    with app.app_context():
        from matchmaker.extensions import db

        _decided_pairs(approved=4, rejected=4)  # 7 and 7 in all
        db.session.commit()
    page = client.get("/staff/weights").get_data(as_text=True)
    assert "Decided pairs: 7 approved, 7 rejected." in page and 'value="learn"' in page
    learned = f.post(client, "/staff/weights", data={"action": "learn"})
    html = learned.get_data(as_text=True)
    assert learned.status_code == 200
    assert "Nothing changes until you apply them." in html
    assert "score an approved pair above a rejected one in 100 % of cases" in html  # themes separate them perfectly
    proposed = {
        d: float(re.search(rf'name="w_{d}"[^>]*value="([^"]+)"', html).group(1))
        for d in ("themes", "complementarity", "sectors", "size", "text")
    }
    assert proposed["themes"] == max(proposed.values()) and proposed["themes"] > before["themes"] * 100
    assert "Effect on the current ranking" in html  # the learned weights are previewed at once
    with app.app_context():
        assert current_weights() == before  # learning applies nothing
    applied = f.post(
        client, "/staff/weights", data={**{f"w_{d}": str(v) for d, v in proposed.items()}, "action": "apply"}
    )
    assert applied.status_code == 302
    with app.app_context():
        assert current_weights()["themes"] == pytest.approx(proposed["themes"] / 100, abs=1e-3)
