"""Loaded by every Python process of CI's faketime passes (PYTHONPATH=.ci/faketime), never by the service.

Debian's libfaketime 0.9.10 with FAKETIME_DONT_FAKE_MONOTONIC=1 (needed, or every timed wait on a lock or a
condition hangs for the whole offset) answers EINVAL to CPython's time.sleep, which sleeps with an absolute
clock_nanosleep on the monotonic clock. Sleeping with select's relative timeout waits the same time.
"""

import select
import time


def _sleep(seconds: float, _select=select.select) -> None:
    if seconds > 0:
        _select([], [], [], seconds)


time.sleep = _sleep
