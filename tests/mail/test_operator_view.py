"""What an operator sees during trouble: failing and refused emails first with their last error, and one line of
health (relay reachable, age of the oldest pending email, ambiguous count), on the command line and the Emails page."""

from datetime import timedelta

from sqlalchemy import insert

from matchmaker.models import OutboxMessage, utcnow
from tests.mail import factories as f


def row(key, status, *, error=None, age=timedelta(0)):
    return dict(
        key=key,
        kind="test",
        recipient=f"{key}@example.fr",
        language="fr",
        subject=f"Subject {key}",
        body_text="x",
        body_html=None,
        headers={},
        message_id=f"<{key}@test.example>",
        status=status,
        attempts=0 if status == "pending" else 3,
        next_attempt_at=utcnow() - age,
        last_error=error,
        created_at=utcnow() - age,
    )


def outage(db, time_machine):
    time_machine.move_to(utcnow(), tick=False)
    db.session.execute(
        insert(OutboxMessage),
        [
            row("refused", "failed", error="550 5.1.1 mailbox unknown", age=timedelta(hours=5)),
            row("unsure", "ambiguous", error="interrupted while sending", age=timedelta(hours=4)),
            row("old-pending", "pending", error="cannot connect: relay unreachable", age=timedelta(hours=2, minutes=5)),
            *[row(f"sent-{i}", "sent") for i in range(30)],
        ],
    )
    db.session.commit()


def test_outbox_list_puts_trouble_first_with_a_health_line(db, runner, time_machine):
    outage(db, time_machine)
    output = runner.invoke(args=["outbox", "list", "--limit", "5"]).output
    lines = output.splitlines()
    health = next(line for line in lines if line.startswith("health:"))
    assert "relay unreachable" in health and "oldest pending 2 h 05 min" in health and "ambiguous 1" in health
    listed = [line for line in lines if line.startswith("#")]
    assert "failed" in listed[0] and "550 5.1.1 mailbox unknown" in listed[0]
    assert "ambiguous" in listed[1] and "interrupted while sending" in listed[1]
    assert "pending" in listed[2] and "unreachable" in listed[2]


def test_the_emails_page_shows_the_same(make_app, time_machine):
    app = make_app()
    from matchmaker.extensions import db

    with app.app_context():
        outage(db, time_machine)
        admin = f.staff("CUF", role="admin")
        db.session.commit()
        email = admin.email
    client = app.test_client()
    f.login(client, email)
    page = client.get("/staff/emails", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Relais injoignable" in page and "2 h 05 min" in page  # the staff account reads French
    # (the addresses are nobody's known contact, so the page hides them: the rows are told apart by subject)
    assert page.index("550 5.1.1 mailbox unknown") < page.index("Subject sent-0")
