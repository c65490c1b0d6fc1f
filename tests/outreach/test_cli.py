"""The outreach commands: a campaign from a CSV, reminders, status, partnerships, the booklet."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from matchmaker.models import Campaign, KnownPartnership, OutboxMessage
from matchmaker.paths import DATA_DIR
from tests.outreach.helpers import BRETON, csv_of


def test_an_operator_scripts_a_campaign_its_reminders_and_its_status(app, db, runner, tmp_path):
    listed = tmp_path / "bretagne.csv"
    listed.write_text(csv_of(BRETON), encoding="utf-8")
    dry = runner.invoke(
        args=[
            "outreach",
            "invite",
            "--org",
            "CUF",
            "--name",
            "Bretagne",
            "--csv",
            str(listed),
            "--level",
            "commune",
            "--region",
            "53",
            "--min-population",
            "100000",
            "--dry-run",
        ]
    )
    assert dry.exit_code == 0 and "5 collectivités selected, 5 with an address" in dry.output
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0
    done = runner.invoke(args=["outreach", "invite", "--org", "CUF", "--name", "Bretagne", "--csv", str(listed)])
    assert done.exit_code == 0 and "5 invitations queued" in done.output, done.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5
    campaign_id = db.session.scalar(select(Campaign.id))
    assert "0 reminders queued" in runner.invoke(args=["outreach", "remind"]).output
    status = runner.invoke(args=["outreach", "status", str(campaign_id), "--json"])
    states = [json.loads(line)["state"] for line in status.output.splitlines()]
    assert states == ["invited"] * 5
    bad = runner.invoke(args=["outreach", "invite", "--org", "GAROK", "--name", "X", "--level", "commune"])
    assert bad.exit_code != 0 and "unknown level" in bad.output


def test_partnerships_and_booklet_commands(app, db, runner, tmp_path):
    loaded = runner.invoke(args=["outreach", "partnerships-import", str(DATA_DIR / "partnerships" / "known_fr_kr.csv")])
    assert loaded.exit_code == 0 and "18 partnerships added" in loaded.output
    assert db.session.scalar(select(func.count()).select_from(KnownPartnership)) == 18
    broken = tmp_path / "broken.csv"
    broken.write_text("fr_level,fr_code,kr_level,kr_code,source\ncommune,92040,gu,99999,x\n", encoding="utf-8")
    refused = runner.invoke(args=["outreach", "partnerships-import", str(broken)])
    assert refused.exit_code != 0 and "nothing imported" in refused.output
    assert runner.invoke(args=["outreach", "partnerships-publish"]).exit_code == 0
    page = tmp_path / "booklet.html"
    made = runner.invoke(args=["outreach", "booklet", "--output", str(page)])
    assert made.exit_code == 0 and "우수 사례집" in page.read_text(encoding="utf-8")
