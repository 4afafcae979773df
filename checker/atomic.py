"""Files that appear whole or not at all: the one way crossvet writes a file.

A temporary name beside the destination receives the content and then replaces the destination
in one rename; if anything fails on the way, the temporary file is removed, so a failed write
leaves neither a half-written file nor a stray temporary one behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator


@contextlib.contextmanager
def replacing(path: str) -> Iterator[str]:
    """A temporary path (not yet existing) beside `path`; it replaces `path` when the block
    ends without an exception, and is removed when it does not."""
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, f".{os.path.basename(path)}.{os.getpid()}.{secrets.token_hex(4)}"
                               ".tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def write_text(path: str, text: str) -> None:
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
