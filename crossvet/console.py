"""The one place crossvet's output is written, and the one rule for a GitHub Actions log.

GitHub reads any log line that starts with `::` (after leading blanks) or holds `##[` as a
workflow command: an annotation, a group, a matcher, an output, a mask. crossvet echoes text a
pull request controls (file names, go's messages, config values), so in Actions mode
(`GITHUB_ACTIONS=true`) every line written to stdout or stderr goes through a `GuardedStream`:

- an ordinary `write` is *untrusted*: before the first line that could be read as a command,
  the stream prints GitHub's `::stop-commands::<token>` (a fresh random token per run, which
  the echoed text cannot guess), so GitHub shows that line and the ones after it verbatim;
- crossvet's own commands (annotations, groups, the matcher removal) go through `command`
  (`reports.annotate.emit` calls it): if commands are stopped, the stream first prints
  `::<token>::`, which resumes them;
- at the end of the run (`guard` exits) commands are resumed, so the rest of the step's log is
  as it would be without crossvet.

stdout and stderr share one state (GitHub has one log per step) and each write is flushed at once,
so the stop line always precedes, on the same stream, the line it protects. Outside Actions the
streams are passed through untouched.

Text written without a trailing newline is held until the newline (or the end): a command cannot
be split across two writes to slip past the check.
"""

from __future__ import annotations

import contextlib
import io
import secrets
import threading
from collections.abc import Iterator, Mapping
from typing import TextIO, cast

STOP = "::stop-commands::"


def could_be_command(line: str) -> bool:
    """Whether GitHub might read `line` as a workflow command (`::name ...::` after leading
    blanks, or the older `##[name]`). Deliberately broad: a false alarm only costs one line."""
    return "::" in line or "##[" in line


class _Shared:
    def __init__(self, token: str) -> None:
        self.token = token
        self.stopped = False
        self.lock = threading.RLock()


class GuardedStream(io.TextIOBase):
    """A text stream that lets through only the workflow commands crossvet means."""

    def __init__(self, raw: TextIO, shared: _Shared) -> None:
        super().__init__()
        self._raw = raw
        self._shared = shared
        self._partial = ""

    @property
    def token(self) -> str:
        return self._shared.token

    def isatty(self) -> bool:
        return self._raw.isatty()

    def writable(self) -> bool:
        return True

    def _line(self, line: str) -> None:
        """One untrusted line (without its newline)."""
        s = self._shared
        if not s.stopped and could_be_command(line):
            self._raw.write(f"{STOP}{s.token}\n")
            s.stopped = True
        self._raw.write(line + "\n")

    def write(self, text: str) -> int:
        with self._shared.lock:
            *lines, self._partial = (self._partial + text).split("\n")
            for line in lines:
                self._line(line)
            self._raw.flush()
        return len(text)

    def command(self, line: str) -> None:
        """One of crossvet's own workflow commands, e.g. `::error file=a.go::msg`."""
        if "\n" in line or "\r" in line:
            raise ValueError(f"a workflow command is one line: {line!r}")
        with self._shared.lock:
            self._end_partial()
            if self._shared.stopped:
                self._raw.write(f"::{self._shared.token}::\n")
                self._shared.stopped = False
            self._raw.write(line + "\n")
            self._raw.flush()

    def _end_partial(self) -> None:
        if self._partial:
            partial, self._partial = self._partial, ""
            self._line(partial)

    def flush(self) -> None:
        with self._shared.lock:
            self._raw.flush()

    def finish(self, *, resume: bool) -> None:
        """End of output: write a held partial line; with `resume`, resume commands for the
        rest of the step."""
        with self._shared.lock:
            self._end_partial()
            if resume and self._shared.stopped:
                self._raw.write(f"::{self._shared.token}::\n")
                self._shared.stopped = False
            self._raw.flush()


class ReaderGone(io.TextIOBase):
    """A stream whose reader may go away (`crossvet check | head`): once a write finds the pipe
    closed, the rest of the output is dropped and the run goes on, so its result files are
    still written and its exit code is still the run's."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self._raw = raw
        self.gone = False

    def isatty(self) -> bool:
        return self._raw.isatty()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self._raw.write(text)
            except BrokenPipeError:
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._raw.flush()
            except BrokenPipeError:
                self.gone = True


@contextlib.contextmanager
def guard(env: Mapping[str, str], out: TextIO, err: TextIO) -> Iterator[tuple[TextIO, TextIO]]:
    """`out` and `err` as crossvet must write them: guarded in GitHub Actions (one state for
    both), untouched elsewhere; either way a reader that goes away ends the output, not the
    run (ReaderGone). Already guarded streams are used as they are."""
    if isinstance(out, GuardedStream | ReaderGone):
        yield out, err
        return
    out, err = cast(TextIO, ReaderGone(out)), cast(TextIO, ReaderGone(err))
    if env.get("GITHUB_ACTIONS") != "true":
        yield out, err
        return
    shared = _Shared(secrets.token_hex(16))
    g_out, g_err = GuardedStream(out, shared), GuardedStream(err, shared)
    try:
        yield cast(TextIO, g_out), cast(TextIO, g_err)
    finally:
        g_err.finish(resume=False)
        g_out.finish(resume=True)
