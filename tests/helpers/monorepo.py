"""A repository of several Go modules, written at test time (issue #15): `lib` (clean), `app`
(imports lib through the workspace; `platformName` is declared for linux only, so windows
targets break) and `calc` (a constant that overflows int on 32-bit targets), with a go.work
using the three, and optionally a nested module under tools/."""

from __future__ import annotations

from pathlib import Path

TARGETS = "linux/amd64,linux/386,windows/386"

OVERFLOW = ("overflow", "calc/calc.go", 8, 17)  # category, file, line, col
UNDEFINED = ("undefined", "app/app.go", 8, 25)

FILES = {
    "lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
    "lib/lib.go": ("package lib\n\nimport \"strconv\"\n\n// Name names the library.\n"
                   "func Name() string { return \"lib\" + strconv.Itoa(1) }\n"),
    # The replace lets the tree build without go.work too (`--modules all`).
    "app/go.mod": ("module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\n"
                   "replace example.com/lib => ../lib\n"),
    "app/app.go": ("package app\n\nimport \"example.com/lib\"\n\n"
                   "// Describe says what runs where.\n"
                   "func Describe() string {\n"
                   "\tname := lib.Name()\n"
                   "\treturn name + \" on \" + platformName\n}\n"),
    "app/name_linux.go": "package app\n\nconst platformName = \"linux\"\n",
    "calc/go.mod": "module example.com/calc\n\ngo 1.22\n",
    "calc/calc.go": ("package calc\n\nimport \"strconv\"\n\nconst big = 1 << 40\n\n"
                     "// Limit is too big for a 32-bit int.\n"
                     "var Limit int = big\n\n"
                     "// Describe spells the limit.\n"
                     "func Describe() string { return strconv.Itoa(Limit) }\n"),
}
GOWORK = "go 1.22\n\nuse (\n\t./app\n\t./calc\n\t./lib\n)\n"
TOOLS = {
    "tools/go.mod": "module example.com/tools\n\ngo 1.22\n",
    "tools/tools.go": "package tools\n\nvar Broken int = \"not an int\"\n",
}


def write(root: Path, *, gowork: bool = True, tools: bool = False,
          extra: dict[str, str] | None = None) -> Path:
    files = dict(FILES)
    if gowork:
        files["go.work"] = GOWORK
    if tools:
        files.update(TOOLS)
    files.update(extra or {})
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
