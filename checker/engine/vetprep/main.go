// Command vetprep lays out the build directory of the engine with vet's analyzers, offline,
// from the Go distribution that will build it (see checker/engine_build.py):
//
//	go run ./vetprep -goroot GOROOT [-tests] DEST
//	vetprep -goroot GOROOT -src ENGINE_SOURCE DEST    (built first where /tmp is noexec)
//
// DEST gets the engine's source files, those of its packages (narrow/) included, and with
// -tests its tests and testdata; a vendor/ symlink to $GOROOT/src/cmd/vendor, a go.mod that
// requires exactly what cmd/go.mod requires (so `go build -mod=vendor` accepts that vendor
// tree), and vet_suite.go, the analyzers of that release's `go vet`:
// golang.org/x/tools/go/analysis/suite/vet where the release has it, else the analyzers
// $GOROOT/src/cmd/vet/main.go passes to unitchecker.Main; and vet_godebug.go, the release's vet
// binary's default GODEBUG settings, when it has any. It exits with status 3 when the
// distribution has no vendored analysis framework (vet cannot be built in).
package main

import (
	"debug/buildinfo"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

func main() {
	goroot := flag.String("goroot", "", "GOROOT of the go that builds the engine")
	tests := flag.Bool("tests", false, "also copy the engine's tests and testdata")
	srcFlag := flag.String("src", "", "the engine's source directory (default: the current one)")
	var lint lintFlags
	flag.StringVar(&lint.tools, "lint-tools", "", "lint build: the module directory of the "+
		"golang.org/x/tools the build uses (no vendor/, no go.mod; lint.go)")
	flag.Var(&lint.pkgs, "lint", "lint build: IMPORTPATH=DIR of a package exporting analyzers "+
		"(repeated)")
	flag.Parse()
	if *goroot == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: vetprep -goroot GOROOT [-tests] DEST")
		os.Exit(2)
	}
	src, err := *srcFlag, error(nil)
	if src == "" {
		src, err = os.Getwd() // go run ./vetprep runs in the engine's source directory
	}
	if err == nil {
		if lint.tools != "" {
			err = prepareLint(*goroot, src, flag.Arg(0), lint)
		} else {
			err = prepare(*goroot, src, flag.Arg(0), *tests)
		}
	}
	if err == errUnsupported {
		fmt.Fprintf(os.Stderr, "vetprep: %s/src/cmd/vendor has no golang.org/x/tools/go/analysis\n",
			*goroot)
		os.Exit(3)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "vetprep: %v\n", err)
		os.Exit(1)
	}
}

var errUnsupported = fmt.Errorf("unsupported")

const analysisPkg = "golang.org/x/tools/go/analysis"

func prepare(goroot, src, dest string, tests bool) error {
	vendor := filepath.Join(goroot, "src", "cmd", "vendor")
	if _, err := os.Stat(filepath.Join(vendor, filepath.FromSlash(analysisPkg))); err != nil {
		return errUnsupported
	}
	suite, err := suiteFile(goroot, vendor)
	if err != nil {
		return err
	}
	mod, err := goMod(goroot)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	if err := copySources(src, dest, tests); err != nil {
		return err
	}
	if tests { // a copy, not a link: the tests compare the paths go list reports
		if err := copyTree(filepath.Join(src, "testdata"), filepath.Join(dest, "testdata")); err != nil {
			return err
		}
	}
	if err := relink(vendor, filepath.Join(dest, "vendor")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dest, "go.mod"), []byte(mod), 0o644); err != nil {
		return err
	}
	classes, err := goosClasses(vendor)
	if err != nil {
		return err
	}
	if classes {
		suite += "\n// vet's analyzers tell linux and darwin from other GOOS, no more (goosClasses)\n" +
			"func init() { goosClasses = true }\n"
	}
	if err := writeGodebug(goroot, dest); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dest, "vet_suite.go"), []byte(suite), 0o644)
}

// writeGodebug writes vet_godebug.go: the engine runs with the default GODEBUG settings the
// release's own vet binary was built with ($GOROOT/pkg/tool/GOHOSTOS_GOHOSTARCH/vet, which
// `go vet` runs), not those of cmd's go line. They change what go/types makes of a package:
// Go 1.23's vet has gotypesalias=0, and with alias types its printf finds no wrapper whose
// arguments are ...any. Nothing is written when vet has none (Go 1.24 on) or is not there.
func writeGodebug(goroot, dest string) error {
	vet := filepath.Join(goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH, "vet")
	info, err := buildinfo.ReadFile(vet)
	if err != nil {
		return nil // no vet to ask: the build's own defaults
	}
	for _, s := range info.Settings {
		if s.Key == "DefaultGODEBUG" {
			if src := godebugFile(goroot, s.Value); src != "" {
				return os.WriteFile(filepath.Join(dest, "vet_godebug.go"), []byte(src), 0o644)
			}
		}
	}
	return nil
}

// godebugFile is the source of a file of package main setting the default GODEBUG value
// settings ("k=v,k=v", as a binary's build information records it), "" for none.
func godebugFile(goroot, settings string) string {
	var b strings.Builder
	for _, kv := range strings.Split(settings, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" && v != "" &&
			!strings.ContainsAny(kv, " \t\n\"`") {
			fmt.Fprintf(&b, "//go:debug %s=%s\n", k, v)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return fmt.Sprintf(generatedBy, goroot+"'s vet") + b.String() + "\npackage main\n"
}

// buildDefaultRx finds build.Default and the field read, goosCompareRx the one use of GOOS
// the engine can key by class: a comparison with "linux" or "darwin" (framepointer).
var (
	buildDefaultRx = regexp.MustCompile(`build\.Default(\.[A-Za-z]+)?`)
	goosCompareRx  = regexp.MustCompile(`^build\.Default\.GOOS\s*[!=]=\s*"(linux|darwin)"`)
)

// goosClasses: the release's vendored x/tools reads build.Default (which the engine sets to
// the target's GOOS and GOARCH while an analyzer runs) for GOARCH and ReleaseTags only, and
// its GOOS only to compare it with "linux" or "darwin": then a package's analysis is the same
// on every GOOS but those two, and the engine keys it by that class (vethook.go).
func goosClasses(vendor string) (bool, error) {
	ok := true
	err := filepath.WalkDir(filepath.Join(vendor, "golang.org", "x", "tools"),
		func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") ||
				strings.HasSuffix(path, "_test.go") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range buildDefaultRx.FindAllSubmatchIndex(data, -1) {
				field := ""
				if m[2] >= 0 {
					field = string(data[m[2]:m[3]])
				}
				switch {
				case field == ".GOARCH" || field == ".ReleaseTags":
				case field == ".GOOS" && goosCompareRx.Match(data[m[0]:]):
				default:
					ok = false
				}
			}
			return nil
		})
	return ok && err == nil, err
}

// goMod is cmd's go.mod renamed: its go line and requirements are exactly what
// vendor/modules.txt records, which is what -mod=vendor checks.
func goMod(goroot string) (string, error) {
	data, err := os.ReadFile(filepath.Join(goroot, "src", "cmd", "go.mod"))
	if err != nil {
		return "", err
	}
	rx := regexp.MustCompile(`(?m)^module\s+cmd\s*$`)
	if !rx.Match(data) {
		return "", fmt.Errorf("%s/src/cmd/go.mod does not declare module cmd", goroot)
	}
	return string(rx.ReplaceAll(data, []byte("module crossvet.local/engine"))), nil
}

// generatedBy opens every file vetprep writes (%s: from what), up to its package clause, which
// //go:debug lines precede; header opens those with nothing between.
const (
	generatedBy = "// Code generated by vetprep from %s. DO NOT EDIT.\n\n//go:build crossvet_vet\n\n"
	header      = generatedBy + "package main\n\n"
)

// suiteFile is the Go source of vetSuite for this release.
func suiteFile(goroot, vendor string) (string, error) {
	return suiteFileIn(goroot, vendor, "")
}

// suiteFileIn is the Go source of vetSuite for this release; with tools, built against that
// golang.org/x/tools module directory instead (the lint build): the release's analyzers
// listed one by one, those whose package that x/tools does not have left out.
func suiteFileIn(goroot, vendor, tools string) (string, error) {
	if tools != "" {
		return suiteOf(goroot, vendor, tools)
	}
	suiteDir := filepath.Join(vendor, filepath.FromSlash(analysisPkg+"/suite/vet"))
	if _, err := os.Stat(suiteDir); err == nil {
		return fmt.Sprintf(header, "suite/vet") + "import (\n\t\"" + analysisPkg + "\"\n\t\"" +
			analysisPkg + "/suite/vet\"\n)\n\nvar vetSuite []*analysis.Analyzer = vet.Suite\n", nil
	}
	return suiteOf(goroot, vendor, "")
}

// suiteOf lists the release's analyzers one by one: those of suite/vet where the release has
// it, else those cmd/vet/main.go passes to unitchecker.Main; with tools, only those whose
// package that x/tools module directory has.
func suiteOf(goroot, vendor, tools string) (string, error) {
	mainGo := filepath.Join(goroot, "src", "cmd", "vet", "main.go")
	suiteGo := filepath.Join(vendor, filepath.FromSlash(analysisPkg+"/suite/vet/vet.go"))
	if _, err := os.Stat(suiteGo); err == nil {
		mainGo = suiteGo
	}
	f, err := parser.ParseFile(token.NewFileSet(), mainGo, nil, 0)
	if err != nil {
		return "", err
	}
	imports := map[string]string{} // local name -> path
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := filepath.Base(path)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		imports[name] = path
	}
	var used []string
	var list []string
	ast.Inspect(f, func(n ast.Node) bool {
		var args []ast.Expr
		switch n := n.(type) {
		case *ast.CallExpr: // cmd/vet/main.go: unitchecker.Main(printf.Analyzer, ...)
			fn, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || fn.Sel.Name != "Main" || !isIdent(fn.X, "unitchecker") {
				return true
			}
			args = n.Args
		case *ast.CompositeLit: // suite/vet: var Suite = []*analysis.Analyzer{...}
			args = n.Elts
		default:
			return true
		}
		for _, arg := range args {
			sel, ok := arg.(*ast.SelectorExpr)
			if !ok {
				continue
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok || imports[x.Name] == "" || x.Name == "analysis" {
				continue
			}
			if tools != "" {
				rel := strings.TrimPrefix(imports[x.Name], "golang.org/x/tools/")
				if _, err := os.Stat(filepath.Join(tools, filepath.FromSlash(rel))); err != nil {
					continue // not in that x/tools release
				}
			}
			used = append(used, x.Name)
			list = append(list, "\t"+x.Name+"."+sel.Sel.Name+",\n")
		}
		return false
	})
	if len(list) == 0 {
		return "", fmt.Errorf("%s: no analyzers passed to unitchecker.Main", mainGo)
	}
	sort.Strings(used)
	var b strings.Builder
	fmt.Fprintf(&b, header, filepath.Base(mainGo))
	b.WriteString("import (\n\t\"" + analysisPkg + "\"\n")
	for i, name := range used {
		if i > 0 && used[i-1] == name {
			continue
		}
		fmt.Fprintf(&b, "\t%s %q\n", name, imports[name])
	}
	b.WriteString(")\n\nvar vetSuite = []*analysis.Analyzer{\n" + strings.Join(list, "") + "}\n")
	return b.String(), nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// copySources copies the engine's Go files to dest: its own directory's and its packages'
// (sub-directories such as narrow/), tests only when asked; not vetprep itself, testdata or
// anything go build ignores (vendor, names starting with . or _).
func copySources(src, dest string, tests bool) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		name := d.Name()
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			if name == "vetprep" || name == "testdata" || name == "vendor" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dest, rel), 0o755)
		}
		if !strings.HasSuffix(name, ".go") || (strings.HasSuffix(name, "_test.go") && !tests) {
			return nil
		}
		return copyFile(path, filepath.Join(dest, rel))
	})
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

func copyTree(from, to string) error {
	if err := os.RemoveAll(to); err != nil {
		return err
	}
	return filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		return copyFile(path, filepath.Join(to, rel))
	})
}

// relink makes link a symlink to target, replacing what was there.
func relink(target, link string) error {
	if err := os.RemoveAll(link); err != nil {
		return err
	}
	return os.Symlink(target, link)
}
