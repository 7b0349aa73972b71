"""Jobs of this process: what runs, for whom, how far it is; exclusive work (one calc of a month).

Under `sbyt serve` every command a client sends runs as a job of the server process, so any
client can list them with their progress (`sbyt jobs`). Without a server the only process is the
command itself. `exclusive(key, what)` refuses a second holder of the same key — a second calc of
the same month while one runs — with a message naming the job that holds it.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sbyt.core.errors import RefusedError

KEEP_FINISHED = 50


@dataclass
class Job:
    id: int
    login: str
    command: str
    started: float = field(default_factory=time.time)
    stage: str = ""
    fraction: float = 0.0
    state: str = "running"              # running | done | failed
    finished: float | None = None
    exit_code: int | None = None

    def progress(self, stage: str, fraction: float) -> None:
        self.stage, self.fraction = stage, max(0.0, min(1.0, fraction))


_lock = threading.Lock()
_ids = itertools.count(1)
_jobs: dict[int, Job] = {}
_held: dict[str, tuple[int, str]] = {}
_current: contextvars.ContextVar[Job | None] = contextvars.ContextVar("sbyt_job", default=None)


@contextmanager
def job(login: str, command: str) -> Iterator[Job]:
    """Run the block as a job of this process (current in its context)."""
    j = Job(next(_ids), login, command)
    with _lock:
        _jobs[j.id] = j
    token = _current.set(j)
    try:
        yield j
        j.state = "done" if not j.exit_code else "failed"
    except BaseException:
        j.state = "failed"
        raise
    finally:
        _current.reset(token)
        j.finished = time.time()
        with _lock:
            done = sorted((x for x in _jobs.values() if x.finished is not None), key=lambda x: x.id)
            for old in done[:-KEEP_FINISHED]:
                del _jobs[old.id]


def current() -> Job | None:
    return _current.get()


def report(stage: str, fraction: float) -> None:
    """Progress of the current job (nothing outside a job)."""
    j = _current.get()
    if j is not None:
        j.progress(stage, fraction)


def listing() -> list[Job]:
    with _lock:
        return sorted(_jobs.values(), key=lambda j: j.id)


@contextmanager
def exclusive(key: str, what: str) -> Iterator[None]:
    """Hold `key` for the block (`what` names the work for a refusal); refuse if another job holds it."""
    me = current()
    with _lock:
        holder = _held.get(key)
        if holder is not None:
            other = _jobs.get(holder[0])
            who = (f" (задание {other.id}, {other.login}, начато "
                   f"{time.strftime('%H:%M:%S', time.localtime(other.started))})" if other else "")
            raise RefusedError(f"{holder[1]} уже выполняется{who}. Дождитесь его окончания: «sbyt jobs».")
        _held[key] = (me.id if me else 0, what)
    try:
        yield
    finally:
        with _lock:
            _held.pop(key, None)
