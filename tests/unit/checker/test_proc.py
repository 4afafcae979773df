"""The one subprocess wrapper: exit codes are data, timeouts kill the whole process group."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from checker import proc
from matrix.errors import InfraError

ENV = {"PATH": os.defpath}


def test_a_failing_command_is_data_not_an_exception() -> None:
    res = proc.run([sys.executable, "-c", "import sys; print('out'); "
                    "print('err', file=sys.stderr); sys.exit(3)"], env=ENV, cwd=".")
    assert (res.exit_code, res.stdout, res.stderr) == (3, "out\n", "err\n")
    assert not res.timed_out and not res.cancelled and res.duration > 0


def test_undecodable_output_is_replaced_not_raised() -> None:
    res = proc.run([sys.executable, "-c", "import sys; sys.stdout.buffer.write(b'a\\xffb')"],
                   env=ENV, cwd=".")
    assert res.stdout == "a\ufffdb"


def test_a_missing_program_is_an_infra_error() -> None:
    with pytest.raises(InfraError, match="cannot run /no/such/go"):
        proc.run(["/no/such/go", "version"], env=ENV, cwd=".")


def test_timeout_kills_the_child_and_its_children(tmp_path: Path) -> None:
    marker = tmp_path / "grandchild.pid"
    script = ("import subprocess, sys, time\n"
              f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
              f"open({str(marker)!r}, 'w').write(str(p.pid))\n"
              "time.sleep(60)\n")
    start = time.monotonic()
    res = proc.run([sys.executable, "-c", script], env=ENV, cwd=".", timeout=1.0)
    assert res.timed_out and res.exit_code is None
    assert time.monotonic() - start < 30
    grandchild = int(marker.read_text())
    for _ in range(50):  # the group was SIGKILLed; the grandchild goes with it
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the grandchild outlived the timeout")


def test_a_cancelled_group_starts_nothing() -> None:
    group = proc.ProcessGroup()
    group.kill_all()
    res = proc.run([sys.executable, "-c", "print('ran')"], env=ENV, cwd=".", group=group)
    assert res.cancelled and res.stdout == "" and res.exit_code is None


def test_a_timeout_longer_than_any_wait_the_os_can_take_is_not_a_crash() -> None:
    """The engine's timeout is --timeout (at most a day) per round of targets: it can pass the
    ~24.8 days poll() takes, which raised OverflowError."""
    res = proc.run([sys.executable, "-c", "print('ran')"], env=ENV, cwd=".", timeout=1e12)
    assert (res.exit_code, res.stdout, res.timed_out) == (0, "ran\n", False)


def test_stdout_lines_are_told_as_the_child_writes_them(tmp_path: Path) -> None:
    """The first line arrives while the child still waits for a file the test writes on
    hearing it: only a line told before the child ends lets it end before the timeout."""
    go_on = tmp_path / "go-on"
    script = ("import os, sys, time\n"
              "print('first', flush=True)\n"
              f"while not os.path.exists({str(go_on)!r}):\n"
              "    time.sleep(0.02)\n"
              "print('second'); print('err', file=sys.stderr)\n")
    told: list[str] = []

    def on_line(line: str) -> None:
        told.append(line)
        go_on.touch()

    res = proc.run([sys.executable, "-c", script], env=ENV, cwd=".", timeout=30,
                   on_line=on_line)
    assert told == ["first\n", "second\n"] and not res.timed_out
    assert (res.exit_code, res.stdout, res.stderr) == (0, "first\nsecond\n", "err\n")


def test_a_timeout_while_lines_are_told_kills_the_child() -> None:
    told: list[str] = []
    res = proc.run([sys.executable, "-c", "import time; print('a', flush=True); time.sleep(60)"],
                   env=ENV, cwd=".", timeout=1, on_line=told.append)
    assert res.timed_out and res.exit_code is None and told == ["a\n"] and res.duration < 30


def test_output_held_open_past_the_timeout_is_a_timeout_while_lines_are_told() -> None:
    """The child exits but leaves a grandchild holding its stdout: the run ends at the timeout
    (the group killed), where waiting on the child first then reading to the end hung for as
    long as the grandchild lived."""
    script = ("import subprocess, sys\n"
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
              "print('a', flush=True)\n")
    told: list[str] = []
    start = time.monotonic()
    res = proc.run([sys.executable, "-c", script], env=ENV, cwd=".", timeout=2,
                   on_line=told.append)
    assert time.monotonic() - start < 30
    assert res.timed_out and told == ["a\n"] and res.stdout == "a\n"
