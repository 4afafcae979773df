"""Reading a config file (.crossvet.yaml, a goreleaser file): whole, checked before parsing."""

from __future__ import annotations

import os

from matrix.errors import ConfigError

CONFIG_LIMIT = 1 << 20  # bytes: a config file is a page of settings, never megabytes


def read(path: str, shown: str) -> str:
    """The file's text, refused before parsing when it is over CONFIG_LIMIT or not UTF-8, so a
    huge or binary file is one error (naming it as `shown`), not minutes of YAML."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(CONFIG_LIMIT + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", source=shown) from None
    if max(size, len(data)) > CONFIG_LIMIT:
        raise ConfigError(f"{max(size, len(data))} bytes is too big for a config file (the "
                          f"limit is {CONFIG_LIMIT} bytes, 1 MiB)", source=shown)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start})", source=shown) from None
