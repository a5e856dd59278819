"""Stage 1 of 6 (ingest): a wall-clock limit around PDF and DOCX parsing.

Why: a crafted PDF can make a parser loop or crawl (cyclic page trees, pathological content
streams), and a screening batch must never hang on one file. The limit uses ``SIGALRM`` with
``setitimer``, which only works in the main thread; elsewhere (a server worker thread) the limit is
not applied and only the page, size and archive caps bound the work. The exception raised derives
from ``BaseException`` so that the libraries' own ``except Exception`` blocks cannot swallow it.
A long single call into C code (decompression) finishes before the alarm is seen.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class DeadlineExceeded(BaseException):
    """The time limit ran out while parsing."""


def can_time_limit() -> bool:
    """Whether ``time_limit`` is enforced in the calling thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``DeadlineExceeded`` in the block after ``seconds``.

    The previous SIGALRM handler is restored afterwards, and a timer that was already running is
    re-armed with the time it had left (it cannot fire while the block runs).
    """
    if seconds <= 0 or not can_time_limit():
        yield
        return
    armed = True

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise DeadlineExceeded()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if old_delay > 0:
            remaining = max(old_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, old_interval)
