"""Group commit: entries made at the same moment by many threads are written as one batch.

Under `sbyt serve` every operator's entry runs in its own worker thread. Checking and writing one
reading costs a few set-based queries whatever their size, so twenty operators' readings arriving
together are checked and written in one transaction instead of twenty that take turns. Without a
server each batch holds the one entry.

The first thread to find no batch running becomes the leader: it takes every entry queued so far
(its own among them, in arrival order) and processes them; the others wait and take their result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    def __init__(self, process: Callable[[T, Sequence[T]], Sequence[R | BaseException]]) -> None:
        """`process(leader, batch)`: the leader's entry (whose resources the batch runs on) and the
        whole batch; one result or exception per entry of the batch, in order."""
        self._process = process
        self._queue: list[tuple[T, Future[R]]] = []
        self._cond = threading.Condition()
        self._running = False

    def submit(self, item: T) -> R:
        """Queue `item`; wait until a batch holding it is done, leading one if none is running.
        A waiting entry returns as soon as its own batch is done, never behind the next batch."""
        mine: Future[R] = Future()
        with self._cond:
            self._queue.append((item, mine))
            while self._running and not mine.done():
                self._cond.wait()
            if mine.done():
                return mine.result()
            self._running = True
            batch, self._queue = self._queue, []
        try:
            try:
                results = self._process(item, [i for i, _ in batch])
            except BaseException as exc:          # the whole batch failed: every entry hears why
                results = [exc] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)
        finally:
            with self._cond:
                self._running = False
                self._cond.notify_all()
        return mine.result()
