"""The C targets of Go's ports: GOOS/GOARCH -> the target a zig C compiler (`zig cc -target`,
from the `crossvet[cgo]` extra) compiles for, so that cgo sees each port's C types and sizes.
Pure data: the one table (docs/typecheck.md, cgo)."""

from __future__ import annotations

from matrix.targets import ARCH_32BIT

# Linux takes glibc's headers (what most cgo code is built against; musl's C types are the
# same sizes). A port missing here has no C compiler from the extra: its cgo files are checked
# with a fake `import "C"` and crossvet says so (zig has no C library headers for it).
ZIG_TARGETS: dict[tuple[str, str], str] = {
    ("linux", "386"): "x86-linux-gnu",
    ("linux", "amd64"): "x86_64-linux-gnu",
    ("linux", "arm"): "arm-linux-gnueabihf",
    ("linux", "arm64"): "aarch64-linux-gnu",
    ("linux", "loong64"): "loongarch64-linux-gnu",
    ("linux", "mips"): "mips-linux-gnueabihf",
    ("linux", "mipsle"): "mipsel-linux-gnueabihf",
    ("linux", "mips64"): "mips64-linux-gnuabi64",
    ("linux", "mips64le"): "mips64el-linux-gnuabi64",
    ("linux", "ppc64"): "powerpc64-linux-musl",  # zig has no glibc for ELFv1 ppc64
    ("linux", "ppc64le"): "powerpc64le-linux-gnu",
    ("linux", "riscv64"): "riscv64-linux-gnu",
    ("linux", "s390x"): "s390x-linux-gnu",
    ("windows", "386"): "x86-windows-gnu",
    ("windows", "amd64"): "x86_64-windows-gnu",
    ("windows", "arm64"): "aarch64-windows-gnu",
    ("darwin", "amd64"): "x86_64-macos",
    ("darwin", "arm64"): "aarch64-macos",
    ("freebsd", "386"): "x86-freebsd",
    ("freebsd", "amd64"): "x86_64-freebsd",
    ("freebsd", "arm64"): "aarch64-freebsd",
    ("netbsd", "386"): "x86-netbsd",
    ("netbsd", "amd64"): "x86_64-netbsd",
    ("netbsd", "arm64"): "aarch64-netbsd",
}


def zig_target(goos: str, goarch: str) -> str:
    """The zig C target of goos/goarch, "" when zig has none for it."""
    return ZIG_TARGETS.get((goos, goarch), "")


# cgo's C integer types (C.long is _Ctype_long) that are as wide on every port.
_C_FIXED_BITS = {"char": 8, "schar": 8, "uchar": 8, "short": 16, "ushort": 16, "int": 32,
                 "uint": 32, "longlong": 64, "ulonglong": 64}
_C_POINTER_SIZED = frozenset({"size_t", "ssize_t", "intptr_t", "uintptr_t", "ptrdiff_t"})


def c_int_bits(ctype: str, goos: str, goarch: str) -> int:
    """How many bits wide cgo's C integer type `ctype` (`long`, `ulong`, `int32_t`, …) is on
    goos/goarch, 0 when not known. C's long is 32 bits on the 32-bit ports and on Windows
    (LLP64), 64 on the other 64-bit ports."""
    if ctype in _C_FIXED_BITS:
        return _C_FIXED_BITS[ctype]
    narrow = goarch in ARCH_32BIT
    if ctype in ("long", "ulong"):
        return 32 if narrow or goos == "windows" else 64
    if ctype in _C_POINTER_SIZED:
        return 32 if narrow else 64
    sized = ctype.removeprefix("u").removeprefix("int").removesuffix("_t")
    if ctype.endswith("_t") and ctype.lstrip("u").startswith("int") and \
            sized in ("8", "16", "32", "64"):
        return int(sized)
    return 0
