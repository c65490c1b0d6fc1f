"""Shared office hours of Paris and Seoul on actual dates: French summer time moves the overlap; weekends and
either country's public holidays are skipped."""

from datetime import date, datetime, timedelta, timezone

from matchmaker.followup.slots import PARIS, SEOUL, is_working_day, propose_slots, shared_window, within_shared_hours


def local(slots, zone):
    return [s.astimezone(zone).strftime("%Y-%m-%d %H:%M") for s in slots]


def test_overlap_is_one_hour_in_winter_and_two_in_french_summer():
    winter, summer = shared_window(date(2027, 1, 14)), shared_window(date(2027, 6, 17))
    assert winter.end - winter.start == timedelta(hours=1)
    assert summer.end - summer.start == timedelta(hours=2)
    assert winter.start.astimezone(SEOUL).hour == 17 and summer.start.astimezone(SEOUL).hour == 16


def test_slots_across_the_march_change_and_easter_monday():
    # Tuesday 23 March 2027: French summer time starts on Sunday 28; Monday 29 is Easter Monday in France.
    slots = propose_slots(datetime(2027, 3, 23, 6, 0, tzinfo=timezone.utc))
    assert local(slots, PARIS) == ["2027-03-25 09:00", "2027-03-26 09:00", "2027-03-30 09:00"]
    assert local(slots, SEOUL) == ["2027-03-25 17:00", "2027-03-26 17:00", "2027-03-30 16:00"]
    assert [s.hour for s in slots] == [8, 8, 7]  # UTC: the instant moves, the Paris hour does not


def test_slots_across_the_october_change_and_all_saints_day():
    # Tuesday 26 October 2027: French summer time ends on Sunday 31; Monday 1 November is a French holiday.
    slots = propose_slots(datetime(2027, 10, 26, 6, 0, tzinfo=timezone.utc))
    assert local(slots, PARIS) == ["2027-10-28 09:00", "2027-10-29 09:00", "2027-11-02 09:00"]
    assert local(slots, SEOUL) == ["2027-10-28 16:00", "2027-10-29 16:00", "2027-11-02 17:00"]


def test_korean_public_holidays_are_skipped():
    # Hangul Day (Friday 9 October 2026) and Chuseok (14–16 September 2027) are working days in France.
    assert not is_working_day(date(2026, 10, 9)) and is_working_day(date(2026, 10, 8))
    slots = propose_slots(datetime(2026, 10, 6, 6, 0, tzinfo=timezone.utc))
    assert local(slots, SEOUL) == ["2026-10-08 16:00", "2026-10-12 16:00", "2026-10-13 16:00"]
    chuseok = propose_slots(datetime(2027, 9, 11, 6, 0, tzinfo=timezone.utc))
    assert local(chuseok, PARIS) == ["2027-09-13 09:00", "2027-09-17 09:00", "2027-09-20 09:00"]


def test_every_proposed_slot_fits_both_working_days_all_year():
    start = datetime(2027, 1, 1, 6, 0, tzinfo=timezone.utc)
    for week in range(53):
        for slot in propose_slots(start + timedelta(weeks=week), minutes=60):
            assert within_shared_hours(slot, 60)
            for zone in (PARIS, SEOUL):
                assert 9 <= slot.astimezone(zone).hour and (slot + timedelta(minutes=60)).astimezone(zone).hour <= 18
