"""The first call of a mutual pair: three proposed slots to both sides, picks through private links, the first
slot both accepted confirmed with an iCalendar invitation, a reminder the day before, staff details."""

from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import select

from matchmaker.followup import operations as ops
from matchmaker.followup.slots import PARIS, SEOUL, within_shared_hours
from matchmaker.models import CallSlot, FirstCall, OutboxAttachment, OutboxMessage
from tests.followup.helpers import call_path, make_mutual
from tests.review import factories as f

# A Tuesday in winter: slots fall on Thursday, Friday and the next Monday.
WINTER_TUESDAY = datetime(2027, 1, 12, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def mutual(db, time_machine):
    time_machine.move_to(WINTER_TUESDAY, tick=False)
    return make_mutual()


def token_of(db, call_id, side, suffix="first"):
    body = db.session.scalar(
        select(OutboxMessage.body_text).where(OutboxMessage.key == f"call-proposal:{call_id}:{side}:{suffix}")
    )
    return call_path(body).split("/call/")[1].split("?")[0]


def test_mutual_interest_proposes_three_shared_slots_to_both_sides(db, mutual):
    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    assert call.state == "proposed" and len(call.slots) == 3
    assert [s.starts_at.astimezone(PARIS).strftime("%a %H:%M") for s in call.slots] == [
        "Thu 09:00",
        "Fri 09:00",
        "Mon 09:00",
    ]
    assert all(s.starts_at.astimezone(SEOUL).hour == 17 and within_shared_hours(s.starts_at) for s in call.slots)
    fr = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == f"call-proposal:{call.id}:FR:first"))
    kr = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == f"call-proposal:{call.id}:KR:first"))
    assert fr.language == "fr" and "jeudi 14 janvier 2027 à 09:00 (heure de Paris)" in fr.body_text
    assert "17:00" in fr.body_text  # the partner's time beside it
    assert kr.language == "ko" and "2027년 1월 14일 목요일 오후 5:00 (서울 시간)" in kr.body_text


def test_first_slot_both_accepted_is_confirmed_with_an_invitation(db, mutual):
    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    first, second, third = call.slots
    ops.choose_slots(token_of(db, call.id, "FR"), {second.id, third.id}, [])
    db.session.commit()
    assert call.state == "proposed"
    ops.choose_slots(token_of(db, call.id, "KR"), {first.id, third.id}, [])
    db.session.commit()
    assert call.state == "confirmed" and call.starts_at == third.starts_at
    for side in ("FR", "KR"):
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == f"call-confirmed:{call.id}:{side}")
        )
        ics = db.session.scalar(select(OutboxAttachment.content).where(OutboxAttachment.message_id == message.id))
        event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
        assert event.decoded("dtstart") == third.starts_at
    with pytest.raises(ops.FollowupError):
        ops.choose_slots(token_of(db, call.id, "FR"), {first.id}, [])


def test_a_side_proposes_other_times_and_the_other_side_is_asked(db, mutual):
    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    other = datetime(2027, 1, 20, 9, 30, tzinfo=PARIS)
    ops.choose_slots(token_of(db, call.id, "KR"), set(), [other])
    db.session.commit()
    added = db.session.scalar(select(CallSlot).where(CallSlot.call_id == call.id, CallSlot.proposed_by == "KR"))
    assert added.starts_at == other and added.kr_accepts is True and added.fr_accepts is None
    ask = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == f"call-proposal:{call.id}:FR:{added.id}"))
    assert "mercredi 20 janvier 2027 à 09:30" in ask.body_text
    ops.choose_slots(token_of(db, call.id, "FR", str(added.id)), {added.id}, [])
    db.session.commit()
    assert call.state == "confirmed" and call.starts_at == other


def test_bad_choices_are_refused(db, mutual):
    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    token = token_of(db, call.id, "FR")
    for accepted, proposals, reason in [
        (set(), [], "nothing_chosen"),
        ({999999}, [], "bad_slot"),
        (set(), [WINTER_TUESDAY + timedelta(hours=1)], "bad_time"),
        (set(), [WINTER_TUESDAY + timedelta(days=400)], "bad_time"),
    ]:
        with pytest.raises(ops.FollowupError) as exc:
            ops.choose_slots(token, accepted, proposals)
        assert exc.value.reason == reason
        db.session.rollback()


def test_reminder_goes_out_the_day_before_once(app, db, mutual, time_machine):
    from jobs.schedule import JOBS_BY_NAME, run_job

    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    first = call.slots[0]
    ops.choose_slots(token_of(db, call.id, "FR"), {first.id}, [])
    ops.choose_slots(token_of(db, call.id, "KR"), {first.id}, [])
    db.session.commit()
    job, start = JOBS_BY_NAME["first-call-reminders"], first.starts_at
    db.session.commit()  # the job runs in its own application context and session
    time_machine.move_to(start - timedelta(hours=30), tick=False)
    run_job(app, job)
    assert not db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "call_reminder")).all()
    db.session.commit()
    for hours in (23, 22, 2):
        time_machine.move_to(start - timedelta(hours=hours), tick=False)
        run_job(app, job)
    reminders = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "call_reminder")).all()
    assert sorted(m.language for m in reminders) == ["fr", "ko"]
    assert "서울 시간" in next(m for m in reminders if m.language == "ko").body_text


def test_staff_details_reach_both_sides_of_a_confirmed_call(db, mutual):
    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    for side in ("FR", "KR"):
        ops.choose_slots(token_of(db, call.id, side), {call.slots[1].id}, [])
    db.session.commit()
    user = f.staff("GAROK")
    with pytest.raises(ops.FollowupError):
        ops.set_call_details(call_suggestion(db, mutual), user, "javascript:alert(1)", None)
    ops.set_call_details(
        call_suggestion(db, mutual), user, "https://visio.example.org/cuf-garok", "Interprète : Mme Kim"
    )
    ops.set_call_details(
        call_suggestion(db, mutual), user, "https://visio.example.org/cuf-garok", "Interprète : Mme Kim"
    )
    db.session.commit()
    updates = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "call_update")).all()
    assert len(updates) == 2 and all("https://visio.example.org/cuf-garok" in m.body_text for m in updates)


def call_suggestion(db, suggestion_id):
    from matchmaker.models import Suggestion

    return db.session.get(Suggestion, suggestion_id)


def test_the_page_refuses_a_time_that_does_not_exist_in_paris_and_keeps_what_was_typed(db, client, mutual):
    from tests.factories import csrf_token

    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    path = f"/call/{token_of(db, call.id, 'FR')}"
    db.session.commit()
    page = client.get(path + "?lang=fr")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    # 02:30 on 28 March 2027 is skipped by the change to summer time in Paris.
    refused = client.post(
        path, data={"proposal": "2027-03-28T02:30", "csrf_token": csrf_token(page.get_data(as_text=True))}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Proposez des créneaux" in html and 'value="2027-03-28T02:30"' in html
    assert client.post(path, data={"slot": "abc", "csrf_token": csrf_token(html)}).status_code == 400
    db.session.expire_all()
    assert call.fr_answered_at is None


def test_a_proposal_in_seoul_time_is_stored_as_the_same_instant(db, client, mutual):
    from tests.factories import csrf_token

    call = db.session.scalar(select(FirstCall).where(FirstCall.suggestion_id == mutual))
    path = f"/call/{token_of(db, call.id, 'KR')}"
    db.session.commit()
    page = client.get(path + "?lang=ko")
    assert "서울 시간" in page.get_data(as_text=True)
    done = client.post(
        path, data={"proposal": "2027-01-21T17:30", "csrf_token": csrf_token(page.get_data(as_text=True))}
    )
    assert done.status_code == 200 and "선택하신 내용이 저장되었습니다" in done.get_data(as_text=True)
    db.session.expire_all()
    added = db.session.scalar(select(CallSlot).where(CallSlot.call_id == call.id, CallSlot.proposed_by == "KR"))
    assert (
        added.starts_at
        == datetime(2027, 1, 21, 17, 30, tzinfo=SEOUL)
        == datetime(2027, 1, 21, 8, 30, tzinfo=timezone.utc)
    )
