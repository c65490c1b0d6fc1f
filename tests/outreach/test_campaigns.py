"""Invitation campaigns: choosing collectivités, queuing invitations through the outbox, opening the private
link (identity prefilled), unsubscribes and bounces from the real SMTP server, and at most two spaced reminders."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db as sqla
from matchmaker.mail.delivery import deliver_outbox
from matchmaker.mail.unsubscribe import subscription_for_token, unsubscribe
from matchmaker.models import Campaign, Invitation, OutboxMessage, Response
from matchmaker.outreach.operations import (
    InvitationLinkError,
    invitation_for_token,
    invitation_token,
    open_invitation,
    send_due_reminders,
)
from matchmaker.outreach.queries import invitation_rows, response_rate_series, summary
from matchmaker.outreach.targets import Filters, TargetError, parse_csv, select_rows
from tests.outreach.helpers import BRETON, breton_campaign, csv_of

#: 10:00 in Paris on a weekday: reminders go out in the daytime of the recipient's country.
MORNING = datetime(2027, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def morning(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return time_machine


def received_by(smtp_server, address: str) -> list:
    return [m.message for m in smtp_server.messages if address in m.rcpt_tos]


def link_in(message, pattern: str) -> str:
    body = message.get_body(("plain",)).get_content()
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


# --- choosing collectivités ------------------------------------------------------------------------------------


def test_filters_pick_collectivites_of_the_reference_list_by_level_region_and_population(app_ctx):
    rows = select_rows("FR", Filters(level="commune", region="Bretagne", min_population=100_000))
    assert {r.name for r in rows} == {"Rennes", "Brest"}
    korean = select_rows("KR", Filters(level="gu", region="서울특별시"))
    assert len(korean) == 25 and all(r.level == "gu" for r in korean)
    assert select_rows("KR", Filters(level="si", max_population=50_000)) != []
    assert all(r.population <= 50_000 for r in select_rows("KR", Filters(level="si", max_population=50_000)))


def test_a_csv_names_its_bad_line_in_the_reader_language(app):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("fr"):
        with pytest.raises(TargetError, match="Ligne 3"):
            parse_csv("FR", "code,email\n35238,a@rennes.example.fr\n99999,b@x.example.fr\n")
    with app.test_request_context("/"), force_locale("ko"):
        with pytest.raises(TargetError, match="3"):
            parse_csv("FR", "code,email\n35238,a@rennes.example.fr\n29019,not-an-address\n")
    with app.test_request_context("/"):
        with pytest.raises(TargetError):
            parse_csv("FR", "name,address\nRennes,a@b.example.fr\n")
        targets = parse_csv("KR", "code,email,language\n11530,intl@guro.example.kr,en\n")
        assert targets[0].row.name_local == "구로구" and targets[0].language == "en"


# --- invitations -------------------------------------------------------------------------------------------------


def test_each_collectivite_receives_one_invitation_in_its_language_through_the_outbox(db, smtp_server, morning):
    campaign, report = breton_campaign(addresses={"35238": "mairie@rennes.example.fr"})
    targets = parse_csv("KR", csv_of({"11530": "intl@guro.example.kr"}))
    from matchmaker.outreach.operations import create_campaign, queue_invitations

    korean = create_campaign("GAROK", "서울 2027", targets)
    queue_invitations(korean)
    db.session.commit()
    assert report.queued == 1
    assert (
        db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")) == 2
    )
    deliver_outbox()
    french = received_by(smtp_server, "mairie@rennes.example.fr")
    hangul = received_by(smtp_server, "intl@guro.example.kr")
    assert len(french) == 1 and len(hangul) == 1
    assert "Rennes" in french[0]["Subject"] and "questionnaire" in french[0]["Subject"]
    assert "구로구" in hangul[0]["Subject"] and "설문" in hangul[0]["Subject"]
    assert french[0]["List-Unsubscribe"]
    link = link_in(french[0], r"http://\S+/fr/invitation/\S+")
    assert "/fr/invitation/" in link


def test_the_invitation_link_opens_a_draft_with_the_identity_of_the_reference_list(db, client, smtp_server, morning):
    campaign, _ = breton_campaign(addresses={"29019": "international@brest.example.fr"})
    deliver_outbox()
    link = link_in(received_by(smtp_server, "international@brest.example.fr")[0], r"http://\S+/fr/invitation/\S+")
    path = link.split("http://localhost", 1)[1]
    landing = client.get(path)  # mail scanners open links: showing the page records nothing
    assert landing.status_code == 200 and "Brest" in landing.get_data(as_text=True)
    assert db.session.scalar(select(Invitation.opened_at)) is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', landing.get_data(as_text=True)).group(1)
    opened = client.post(path, data={"csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/questionnaire/identity")
    page = client.get("/questionnaire/identity").get_data(as_text=True)
    assert 'value="Brest"' in page and 'value="29019"' in page
    invitation = db.session.scalar(select(Invitation))
    assert invitation.opened_at is not None and invitation.response.status == "draft"
    assert invitation.response.draft["answers"]["level"] == "commune"
    assert invitation.response.draft["answers"]["contact_email"] == "international@brest.example.fr"
    assert [r.state for r in invitation_rows(campaign)] == ["opened"]
    # opening again resumes the same draft
    client.post(path, data={"csrf_token": token})
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_forged_damaged_or_expired_invitation_links_are_refused(db, client, app, time_machine):
    time_machine.move_to(MORNING, tick=False)
    campaign, _ = breton_campaign(addresses={"29019": "international@brest.example.fr"})
    invitation = campaign.invitations[0]
    token = invitation_token(invitation)
    assert client.get(f"/fr/invitation/{token[:-3]}xyz").status_code == 404
    assert client.get("/fr/invitation/nothing").status_code == 404
    time_machine.move_to(MORNING + timedelta(days=app.config["TOKEN_TTL_DAYS"] + 1), tick=False)
    with pytest.raises(InvitationLinkError, match="expired"):
        invitation_for_token(token)
    gone = client.get(f"/fr/invitation/{token}")
    assert gone.status_code == 410 and "expir" in gone.get_data(as_text=True)


def test_a_collectivite_that_already_answered_or_has_no_address_is_not_invited(db, morning):
    from tests.review.factories import collectivite

    brest = collectivite("Brest", "FR", "commune")
    brest.code = "29019"
    db.session.commit()
    addresses = {"29019": "international@brest.example.fr", "35238": "mairie@rennes.example.fr"}
    targets = parse_csv("FR", csv_of(addresses))
    targets += select_rows(
        "FR", Filters(level="commune", region="Bretagne", min_population=58_000, max_population=60_000)
    ) and [t for t in []]
    from matchmaker.outreach.operations import create_campaign, queue_invitations
    from matchmaker.outreach.targets import merge_targets

    rows = select_rows("FR", Filters(level="commune", region="Bretagne", min_population=58_000, max_population=59_000))
    assert [r.name for r in rows] == ["Lorient"]
    campaign = create_campaign("CUF", "Mix", merge_targets("FR", rows, targets))
    report = queue_invitations(campaign)
    db.session.commit()
    assert (report.queued, report.answered, report.no_address) == (1, 1, 1)
    states = {row.invitation.name: (row.state, row.answered_before) for row in invitation_rows(campaign)}
    assert states == {"Brest": ("not_sent", True), "Rennes": ("invited", False), "Lorient": ("not_sent", False)}


# --- reminders, unsubscribes, bounces ------------------------------------------------------------------------


def test_at_most_two_spaced_reminders_and_none_after_unsubscribe_bounce_or_submission(db, smtp_server, time_machine):
    time_machine.move_to(MORNING, tick=False)
    smtp_server.refused_addresses.add("contact@lorient.example.fr")
    campaign, report = breton_campaign(reminder_after_days=10)
    assert report.queued == 5
    deliver_outbox()
    assert len(smtp_server.messages) == 4  # Lorient refused permanently
    bounced = sqla.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "contact@lorient.example.fr"))
    assert bounced.status == "failed" and bounced.last_error.startswith("recipient refused: 550")

    # Saint-Malo unsubscribes through the link of its email
    malo = received_by(smtp_server, "jumelages@saint-malo.example.fr")[0]
    token = link_in(malo, r"/unsubscribe/[\w.-]+").rsplit("/", 1)[1]
    unsubscribe(subscription_for_token(token))
    # Rennes answers: its draft is submitted
    rennes = sqla.session.scalar(select(Invitation).where(Invitation.code == "35238"))
    response, _ = open_invitation(rennes)
    response.status = "submitted"
    sqla.session.commit()

    assert send_due_reminders() == 0  # too early
    time_machine.move_to(MORNING + timedelta(days=9, hours=23), tick=False)
    assert send_due_reminders() == 0
    time_machine.move_to(MORNING + timedelta(days=10), tick=False)
    assert send_due_reminders() == 2  # Brest and Saint-Brieuc
    assert send_due_reminders() == 0  # not twice
    sqla.session.commit()
    time_machine.move_to(MORNING + timedelta(days=15), tick=False)
    assert send_due_reminders() == 0  # spaced
    time_machine.move_to(MORNING + timedelta(days=20), tick=False)
    assert send_due_reminders() == 2
    sqla.session.commit()
    time_machine.move_to(MORNING + timedelta(days=60), tick=False)
    assert send_due_reminders() == 0  # two at most
    sqla.session.commit()
    deliver_outbox()
    counts = {address: len(received_by(smtp_server, address)) for address in BRETON.values()}
    assert counts == {
        "mairie@rennes.example.fr": 1,
        "international@brest.example.fr": 3,
        "contact@lorient.example.fr": 0,
        "accueil@saint-brieuc.example.fr": 3,
        "jumelages@saint-malo.example.fr": 1,
    }
    reminder = received_by(smtp_server, "international@brest.example.fr")[2]
    assert "relance 2 sur 2" in reminder.get_body(("plain",)).get_content() and reminder["Subject"].startswith(
        "Relance"
    )

    rows = {row.invitation.code: row for row in invitation_rows(campaign)}
    assert rows["56121"].bounced and rows["35288"].unsubscribed and rows["35238"].state == "submitted"
    assert rows["29019"].state == "invited" and rows["29019"].invitation.reminders_sent == 2
    counts = summary(list(rows.values()))
    assert (counts["invited"], counts["bounced"], counts["unsubscribed"], counts["submitted"]) == (5, 1, 1, 1)


def test_reminders_wait_for_the_daytime_of_the_recipient_country(db, smtp_server, time_machine):
    time_machine.move_to(MORNING, tick=False)
    breton_campaign(addresses={"29019": "international@brest.example.fr"}, reminder_after_days=3)
    night = datetime(2027, 3, 5, 23, 30, tzinfo=timezone.utc)  # 00:30 in Paris
    time_machine.move_to(night, tick=False)
    assert send_due_reminders() == 0
    time_machine.move_to(night + timedelta(hours=8), tick=False)
    assert send_due_reminders() == 1


def test_the_response_rate_counts_opened_and_submitted_day_by_day(db, time_machine):
    time_machine.move_to(MORNING, tick=False)
    campaign, _ = breton_campaign()
    invitations = sorted(campaign.invitations, key=lambda i: i.code)
    time_machine.move_to(MORNING + timedelta(days=1), tick=False)
    open_invitation(invitations[0])
    open_invitation(invitations[1])
    sqla.session.commit()
    time_machine.move_to(MORNING + timedelta(days=3), tick=False)
    series = response_rate_series(campaign, invitation_rows(campaign))
    assert [round(opened, 2) for _, opened, _ in series] == [0.0, 0.4, 0.4, 0.4]
    assert all(submitted == 0 for _, _, submitted in series)


def test_the_other_association_cannot_see_a_campaign(db, client, morning):
    from tests.review.factories import login, post, staff

    campaign, _ = breton_campaign()
    garok = staff("GAROK")
    db.session.commit()
    assert client.get(f"/staff/outreach/{campaign.id}").status_code == 302  # login first
    login(client, garok)
    assert client.get(f"/staff/outreach/{campaign.id}").status_code == 404
    assert "Bretagne 2027" not in client.get("/staff/outreach/").get_data(as_text=True)
    assert post(client, f"/staff/outreach/{campaign.id}/remind").status_code == 404


def test_the_association_sees_its_campaign_with_addresses_and_chart(db, client, morning):
    from tests.review.factories import login, staff

    campaign, _ = breton_campaign()
    cuf = staff("CUF")
    db.session.commit()
    login(client, cuf)
    page = client.get(f"/staff/outreach/{campaign.id}").get_data(as_text=True)
    assert "Bretagne 2027" in page and "mairie@rennes.example.fr" in page and "<svg" in page


def test_staff_start_a_campaign_from_the_form_and_bad_input_is_explained(db, client, morning):
    from tests.review.factories import login, post, staff

    user = staff("CUF")
    db.session.commit()
    login(client, user)
    empty = post(client, "/staff/outreach/", {"name": "Rien", "level": "", "addresses": ""})
    assert empty.status_code == 422 and "rien n" in empty.get_data(as_text=True).lower()
    bad = post(
        client,
        "/staff/outreach/",
        {"name": "Mauvais", "addresses": "code,email\n35238,pas-une-adresse\n", "min_population": "beaucoup"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Ligne 2" in text and "nombre entier" in text
    wrong_country = post(client, "/staff/outreach/", {"name": "Corée", "level": "gu"})
    assert wrong_country.status_code == 422
    done = post(
        client,
        "/staff/outreach/",
        {
            "name": "Bretagne",
            "addresses": csv_of(BRETON),
            "level": "commune",
            "region": "Bretagne",
            "min_population": "140000",
        },
    )
    assert done.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    # the filters add Rennes and Brest, already in the list: five invitations, all with an address
    assert len(campaign.invitations) == 5 and all(i.sent_at for i in campaign.invitations)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5


def test_bulk_invitation_emails_escape_the_name_in_html_and_skip_keys_already_queued(db):
    from datetime import date

    from matchmaker.outreach.mailing import InvitationEmail, queue_invitation_emails

    email = InvitationEmail(
        key="outreach:0:0:invitation",
        kind="invitation",
        email="a@example.org",
        language="fr",
        org="CUF",
        reminder=0,
        expires_on=date(2028, 1, 1),
        name='<b>"A&B"</b>',
        invite_url="https://x.example.org/fr/invitation/T?a=1&b=2",
        unsubscribe_url="https://x.example.org/u/1",
    )
    assert queue_invitation_emails([email]) == 1
    assert queue_invitation_emails([email]) == 0
    row = db.session.scalar(select(OutboxMessage))
    assert '<b>"A&B"</b>' in row.subject and '<b>"A&B"</b>' in row.body_text
    assert (
        "&lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt;" in row.body_html
        and "<b>" not in row.body_html.split("<body", 1)[1].split("A&amp;B")[0][-20:]
    )
    assert 'href="https://x.example.org/fr/invitation/T?a=1&amp;b=2"' in row.body_html
    assert "1 janvier 2028" in row.body_text and row.headers["List-Unsubscribe"] == "<https://x.example.org/u/1>"
