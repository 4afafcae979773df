"""What a person watches while `crossvet check` runs: a header, one line per finished job, notes
(the engine build), and on a terminal a live status line of what is running and for how long.

Lines are rendered by reports/terminal.py; this module owns the state, the timing and the
writing. The status line is drawn only on a terminal (with `\\r` and an erase, never a newline),
so logs and pipes get plain lines only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from checker.model import CheckResult
from matrix.plan import Job
from reports import terminal

_ERASE = "\r\033[K"
TICK = 0.5  # seconds between redraws of the status line


class Progress:
    """Thread-safe: jobs finish on the runner's threads, the status line ticks on its own."""

    def __init__(self, out: TextIO, *, total: int, tty: bool, github: bool, columns: int = 80,
                 clock: Callable[[], float] = time.monotonic, color: bool | None = None) -> None:
        self._out = out
        self._total = total
        self._done = 0
        self._tty = tty
        self._color = tty if color is None else color  # statuses in colour (--color)
        self._github = github
        self._columns = columns
        self._clock = clock
        self._lock = threading.Lock()
        self._width = 12
        self._running: dict[str, float] = {}
        self._said: set[str] = set()  # errors printed under an earlier job
        self._shown = False  # a status line is on the screen
        self._began = clock()

    # ---- lines that stay --------------------------------------------------------------------

    def _write(self, lines: Sequence[str]) -> None:
        """Permanent lines: erase the status line first, draw it again after. Lock held."""
        if self._shown:
            self._out.write(_ERASE)
            self._shown = False
        for line in lines:
            self._out.write(line + "\n")
        self._draw()
        self._out.flush()

    def start(self, jobs: Sequence[Job], go: str, jobs_width: int) -> None:
        self._width = max([12, *(len(j.name) for j in jobs)])
        self._began = self._clock()
        with self._lock:
            self._write([terminal.header(jobs, go, jobs_width)])

    def note(self, text: str) -> None:
        with self._lock:
            self._write([f"crossvet: {text}"])

    def on_job(self, job: Job, checks: tuple[CheckResult, ...]) -> None:
        with self._lock:
            self._running.pop(job.name, None)
            self._done += 1
            line = terminal.job_line(job, checks, done=self._done, total=self._total,
                                     width=self._width, tty=self._color)
            if self._github:  # crossvet's own commands go through annotate.emit (console.py)
                from reports import annotate  # noqa: PLC0415 (lazy: GitHub Actions only)
                annotate.emit(self._out, annotate.command("group", line))
                self._write(terminal.job_problems(checks))
                annotate.emit(self._out, annotate.command("endgroup", ""))
            else:
                self._write([line, *terminal.job_errors(checks, self._said)])
                self._said.update(c.error for c in checks if c.error)

    def finish(self) -> None:
        """The run's wall time, engine build included."""
        with self._lock:
            self._running.clear()
            self._write([f"crossvet: checked in {self._clock() - self._began:.1f}s"])

    # ---- the status line ----------------------------------------------------------------------

    def began(self, label: str) -> None:
        with self._lock:
            self._running.setdefault(label, self._clock())
            self._redraw()

    def ended(self, label: str) -> None:
        with self._lock:
            self._running.pop(label, None)
            self._redraw()

    def tick(self) -> None:
        with self._lock:
            self._redraw()

    def _draw(self) -> None:
        if not self._tty:
            return
        line = terminal.running_line(self._running, self._clock(), self._columns)
        if line:
            self._out.write(line)
            self._shown = True

    def _redraw(self) -> None:
        if not self._tty:
            return
        if self._shown:
            self._out.write(_ERASE)
            self._shown = False
        self._draw()
        self._out.flush()

    @contextmanager
    def live(self) -> Iterator[Progress]:
        """Tick the status line while the block runs (on a terminal only); erase it after."""
        stop = threading.Event()

        def ticking() -> None:
            while not stop.wait(TICK):
                self.tick()

        ticker = threading.Thread(target=ticking, name="crossvet-progress", daemon=True)
        if self._tty:
            ticker.start()
        try:
            yield self
        finally:
            stop.set()
            if ticker.is_alive():
                ticker.join()
            with self._lock:
                self._running.clear()
                self._redraw()
