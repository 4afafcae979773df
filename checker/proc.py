"""The one subprocess wrapper: run a command, never raise on its exit status, kill on timeout.

Each child runs in its own process group so that a timeout or Ctrl-C kills `go` together with the
compilers and vet tools it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from matrix.errors import InfraError

# The longest wait the OS's poll() can take (2**31-1 ms, about 24.8 days), less a margin: a
# longer timeout (the engine's is --timeout per round of targets) waits this long instead.
LONGEST_WAIT = 2_000_000.0


@dataclass(frozen=True, kw_only=True)
class ProcResult:
    argv: tuple[str, ...]
    exit_code: int | None  # None when killed by us (timeout, cancel)
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False
    cancelled: bool = False


class ProcessGroup:
    """Tracks live children so that all of them can be killed at once (Ctrl-C)."""

    def __init__(self) -> None:
        # Reentrant: kill_all runs in a signal handler on the main thread, which may hold it.
        self._lock = threading.RLock()
        self._live: set[subprocess.Popen[bytes]] = set()
        self.cancelled = threading.Event()

    def _add(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.add(proc)

    def _remove(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.discard(proc)

    def kill_all(self) -> None:
        self.cancelled.set()
        with self._lock:
            live = list(self._live)
        for proc in live:
            _kill_group(proc)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


OnLine = Callable[[str], None]  # told each line of a child's stdout as it is written


class _Lines:
    """Popen.communicate for a child whose stdout is read line by line as it comes, each line
    told to `on_line` (on a reader thread); stderr is collected beside it."""

    def __init__(self, proc: subprocess.Popen[bytes], on_line: OnLine) -> None:
        self._proc = proc
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._failed: list[BaseException] = []
        self._threads = [threading.Thread(target=self._read_out, daemon=True),
                         threading.Thread(target=self._read_err, daemon=True)]
        self._on_line = on_line
        for t in self._threads:
            t.start()

    def _read_out(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._out.append(line)
            if not self._failed:
                try:
                    self._on_line(line.decode("utf-8", "replace"))
                except Exception as exc:  # told to the caller once the child is done
                    self._failed.append(exc)

    def _read_err(self) -> None:
        assert self._proc.stderr is not None
        self._err.append(self._proc.stderr.read())

    def communicate(self, timeout: float | None = None) -> tuple[bytes, bytes]:
        """The child's output once it has closed it and exited; TimeoutExpired as
        Popen.communicate raises it. The readers are waited on first: they end when the child
        closes its output, and joining them answers at once, where Popen.wait(timeout) polls,
        sleeping up to 50 ms past the child's exit (a warm check's engine run is ~0.2 s)."""
        deadline = None if timeout is None else time.monotonic() + timeout

        def left() -> float | None:
            return None if deadline is None else max(0.0, deadline - time.monotonic())
        for t in self._threads:
            t.join(left())
            if t.is_alive():
                raise subprocess.TimeoutExpired(self._proc.args, timeout or 0.0)
        self._proc.wait(timeout=left())
        if self._failed:
            raise self._failed[0]
        return b"".join(self._out), b"".join(self._err)


def run(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: str,
    timeout: float | None = None,
    group: ProcessGroup | None = None,
    on_line: OnLine | None = None,
) -> ProcResult:
    """Run argv to completion. A non-zero exit is data; only failing to start raises.
    `on_line`, when given, is told each line of stdout as the child writes it (from another
    thread); the result has the whole stdout all the same."""
    if timeout is not None:
        timeout = min(timeout, LONGEST_WAIT)
    if group is not None and group.cancelled.is_set():
        return ProcResult(argv=tuple(argv), exit_code=None, stdout="", stderr="",
                          duration=0.0, cancelled=True)
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise InfraError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
    if group is not None:
        group._add(proc)
    timed_out = False
    reader = proc if on_line is None else _Lines(proc, on_line)
    try:
        try:
            out, err = reader.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            out, err = reader.communicate()
    finally:
        _kill_group(proc)  # stray grandchildren of a finished go command
        if group is not None:
            group._remove(proc)
    cancelled = group is not None and group.cancelled.is_set() and proc.returncode < 0
    return ProcResult(
        argv=tuple(argv),
        exit_code=None if (timed_out or cancelled) else proc.returncode,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        duration=time.monotonic() - start,
        timed_out=timed_out,
        cancelled=cancelled,
    )
