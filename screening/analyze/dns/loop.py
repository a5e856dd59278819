"""One event loop on a background thread, shared by every thread that screens applications.

``Engine.screen`` is synchronous and runs in whatever thread the caller uses: the main thread,
a pool of worker threads (the webhook server, a batch), or a thread that already runs its own
event loop. All of them hand their DNS coroutines to one loop on a daemon thread and wait for the
result, so every lookup in the process is multiplexed on one selector: no loop is created per
application, threads do not compete with loops of their own, and the caller's loop (if any) is
never touched. The loop starts on first use, again after a fork, and stops with ``close``;
asyncio itself is imported only then, so an offline screening never loads it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")


class BackgroundLoop:
    """A lazily started event loop thread; ``run`` blocks the calling thread until done."""

    def __init__(self, name: str = "screening-dns") -> None:
        self.name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid = 0

    def run(self, factory: Callable[[], Coroutine[object, object, T]]) -> T:
        """Run the coroutine that ``factory`` makes on the loop and return its result."""
        import asyncio

        loop = self._running_loop()
        return asyncio.run_coroutine_threadsafe(factory(), loop).result()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        import asyncio

        with self._lock:
            alive = self._thread is not None and self._thread.is_alive()
            if self._loop is None or not alive or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                thread = threading.Thread(
                    target=_serve, args=(loop, ready), name=self.name, daemon=True
                )
                thread.start()
                ready.wait()
                self._loop, self._thread, self._pid = loop, thread, os.getpid()
            return self._loop

    def close(self) -> None:
        """Stop the loop and its thread (a later ``run`` starts a new one)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is not None and thread is not None and self._pid == os.getpid():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)


def _serve(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
    import asyncio

    asyncio.set_event_loop(loop)
    loop.call_soon(ready.set)
    try:
        loop.run_forever()
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
