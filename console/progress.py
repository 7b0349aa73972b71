"""Progress bars on stderr for long services that report `(stage, fraction)`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sbyt.core import jobs


@contextmanager
def stage_progress(title: str) -> Iterator[Callable[[str, float], None]]:
    """Yields a callback `(stage, fraction 0..1)` drawing one bar on stderr (silent when not a TTY)."""
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=console, transient=False, disable=not console.is_terminal) as bar:
        task = bar.add_task(title, total=1.0)

        def tick(stage: str, fraction: float) -> None:
            bar.update(task, completed=max(0.0, min(1.0, fraction)), description=f"{title}: {stage}")
            jobs.report(f"{title}: {stage}", fraction)     # `sbyt jobs` under the server

        yield tick
