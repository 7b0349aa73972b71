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
        self._queue_lock = threading.Lock()
        self._batch_lock = threading.Lock()

    def submit(self, item: T) -> R:
        mine: Future[R] = Future()
        with self._queue_lock:
            self._queue.append((item, mine))
        with self._batch_lock:
            if not mine.done():
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                try:
                    results = self._process(item, [i for i, _ in batch])
                except BaseException as exc:          # the whole batch failed: every entry hears why
                    results = [exc] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        return mine.result()
