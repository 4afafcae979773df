"""The startup sweep: remove containers that an earlier, crashed crossvet run left behind.

A container is a leftover when the run that made it is gone: same host and its process no
longer exists, or (for another host, or no owner label) it stopped more than STALE seconds ago.
A running container of another host's run is never touched: that run may be alive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from checker.docker import container as ct

STALE = 600.0  # seconds a stopped container of an unknown run is kept


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _age(stamp: str, now: dt.datetime) -> float:
    """Seconds since a Docker timestamp (RFC 3339 with nanoseconds); 0 when unreadable."""
    if not stamp or stamp.startswith("0001-"):
        return 0.0
    head = stamp.rstrip("Z").split(".")[0]
    try:
        when = dt.datetime.fromisoformat(head).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return 0.0
    return (now - when).total_seconds()


def is_leftover(attrs: Mapping[str, Any], *, host: str, now: dt.datetime,
                alive: Any = pid_alive) -> bool:
    """Decide from `docker inspect` data whether a labelled container belongs to a dead run."""
    labels = attrs.get("Config", {}).get("Labels") or {}
    state = attrs.get("State", {})
    pid = labels.get("crossvet.pid", "")
    if labels.get("crossvet.host") == host and pid.isdigit():
        return int(pid) != os.getpid() and not alive(int(pid))
    if state.get("Running"):
        return False
    stopped = _age(state.get("FinishedAt", ""), now) or _age(attrs.get("Created", ""), now)
    return stopped > STALE


def sweep(client: Any, *, host: str) -> int:
    """Remove leftovers; returns how many. Failures to remove one are not fatal."""
    now = dt.datetime.now(dt.timezone.utc)
    removed = 0
    for c in client.containers.list(all=True, filters={"label": ct.LABEL}):
        with contextlib.suppress(Exception):
            if is_leftover(c.attrs, host=host, now=now):
                ct.remove(c)
                removed += 1
    return removed
