package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// userPrint type-checks package dep from depSrc and package user from userSrc (which imports
// "example.com/dep", and "unsafe" and "example.com/tb" if it likes), and returns user's print:
// what sharing by use compares between targets. With vet, user's file is a _test.go file and
// its print is vet's. Package tb is the same on every target: an interface with an unexported
// method (as testing.TB has). dep may import a package fmt that declares State.
// With pc, the print keeps its parts there and starts from those kept (printparts.go).
func userPrint(t *testing.T, depSrc, userSrc string, vet bool, pc *partCache) string {
	t.Helper()
	fset := token.NewFileSet()
	check := func(path, src string, imp types.Importer, info *types.Info) (*types.Package,
		[]*ast.File) {
		name := path + ".go"
		if vet && info != nil {
			name = path + "_test.go"
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		var errs []error // the user's errors are allowed: one target may have them
		conf := types.Config{Importer: imp, Sizes: types.SizesFor("gc", "amd64"),
			Error: func(err error) { errs = append(errs, err) }}
		pkg, _ := conf.Check(path, fset, []*ast.File{f}, info)
		if len(errs) > 0 && info == nil {
			t.Fatalf("%s: %v", path, errs)
		}
		return pkg, []*ast.File{f}
	}
	fmtPkg, _ := check("fmt", "package fmt\ntype State interface{ Width() (int, bool) }",
		importer{}, nil)
	dep, _ := check("example.com/dep", depSrc,
		importer{imports: map[string]*entry{"fmt": {entryResult: entryResult{pkg: fmtPkg}}}}, nil)
	tb, _ := check("example.com/tb", "package tb\ntype TB interface{ Helper(); private() }",
		importer{}, nil)
	all := map[string]*entry{"example.com/dep": {entryResult: entryResult{pkg: dep}},
		"example.com/tb": {entryResult: entryResult{pkg: tb}}, "unsafe": unsafeEntry}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{},
		Uses: map[*ast.Ident]types.Object{}}
	user, files := check("example.com/user", userSrc, importer{imports: all}, info)
	imports := map[string]*entry{} // what user imports, as the engine's entries have them
	for src, e := range all {
		if importsPath(files, src) {
			imports[src] = e
		}
	}
	var facts *factsView
	if vet {
		facts = &factsView{of: func(types.Object) string { return "" }, sum: "none"}
	}
	return apiPrint(fset, &summaries{}, imports, observedOf(user, info, files, fset, vet, false),
		facts, pc)
}

func importsPath(files []*ast.File, path string) bool {
	for _, f := range files {
		for _, s := range f.Imports {
			if s.Path.Value == `"`+path+`"` {
				return true
			}
		}
	}
	return false
}

// What another target's declarations of an imported package must keep equal for a package's
// check to be shared, and what they may change.
func TestPrintSeesWhatAPackageCanObserve(t *testing.T) {
	for _, c := range []struct {
		name       string
		depA, depB string // the imported package on two targets
		user       string
		same       bool // the prints are equal: one check may serve both
		vet        bool // vet's print (user is a test file)
	}{
		{"an unexported field's size, compared",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp int64",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp [3]int64",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.Rec{} == dep.Rec{}", true, false},
		{"an unexported field's size, through unsafe",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp int64",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp [3]int64",
			"package user\nimport (\"unsafe\"; \"example.com/dep\")\nconst n = unsafe.Sizeof(dep.Rec{})",
			false, false},
		{"an unexported field's size, with unsafe imported but nothing sized",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp int64",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp [3]int64",
			"package user\nimport (\"unsafe\"; \"example.com/dep\")\n" +
				"func P(r *dep.Rec) unsafe.Pointer { return unsafe.Pointer(r) }", true, false},
		{"an unexported field's size, held by a type the package sizes",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp int64",
			"package dep\ntype Rec struct{ t stamp }\ntype stamp [3]int64",
			"package user\nimport (\"unsafe\"; \"example.com/dep\")\n" +
				"type w struct{ r [2]dep.Rec }\nconst n = unsafe.Alignof(w{}) + unsafe.Sizeof(w{})",
			false, false},
		{"an unexported field's comparability",
			"package dep\ntype Rec struct{ c cell }\ntype cell int",
			"package dep\ntype Rec struct{ c cell }\ntype cell []int",
			"package user\nimport \"example.com/dep\"\nvar r dep.Rec", false, false},
		{"an unexported field's type identity (conversions)",
			"package dep\ntype A struct{ x int }\ntype B struct{ x int }",
			"package dep\ntype A struct{ x int }\ntype B struct{ x int32 }",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.B(dep.A{})", false, false},
		{"a method promoted through an unexported embedded pointer",
			"package dep\ntype H struct{ *h }\ntype h struct{}\nfunc (*h) Fd() int { return 0 }",
			"package dep\ntype H struct{ *h }\ntype h struct{}\nfunc (*h) Fd() uintptr { return 0 }",
			"package user\nimport \"example.com/dep\"\nfunc F(x dep.H) { _ = x.Fd() }", false, false},
		{"a method promoted through an unexported embedded pointer, never looked up",
			"package dep\ntype H struct{ *h }\ntype h struct{}\nfunc (*h) Fd() int { return 0 }",
			"package dep\ntype H struct{ *h }\ntype h struct{}",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.H{}", true, false},
		{"a method an interface of another package names",
			"package dep\ntype F struct{}\nfunc (F) Helper() {}",
			"package dep\ntype F struct{}",
			"package user\nimport (\"example.com/dep\"; \"example.com/tb\")\n" +
				"var _ dep.F\nvar _ tb.TB", false, false},
		{"a method an interface of the package names, in another case",
			"package dep\ntype F struct{}\nfunc (F) Helper() {}",
			"package dep\ntype F struct{}",
			"package user\nimport \"example.com/dep\"\ntype i interface{ HELPER() }\nvar _ dep.F",
			false, false},
		{"a method vet's printf looks up, without vet",
			"package dep\ntype T struct{}\nfunc (T) String() string { return \"\" }",
			"package dep\ntype T struct{}",
			"package user\nimport \"example.com/dep\"\nvar _ dep.T", true, false},
		{"a method vet's printf looks up, with vet",
			"package dep\ntype T struct{}\nfunc (T) String() string { return \"\" }",
			"package dep\ntype T struct{}",
			"package user\nimport \"example.com/dep\"\nvar _ dep.T", false, true},
		{"a method named by an interface method's result",
			"package dep\ntype T struct{}\nfunc (T) Close() {}\n" +
				"type Opener interface{ Open() interface{ Close() } }\nfunc Use(Opener) {}",
			"package dep\ntype T struct{}\n" +
				"type Opener interface{ Open() interface{ Close() } }\nfunc Use(Opener) {}",
			"package user\nimport \"example.com/dep\"\nvar _ dep.T\nvar _ = dep.Use", false, false},
		{"what an unexported embedded pointer holds",
			"package dep\ntype H struct{ *h }\ntype h struct{ fd int }\n" +
				"func (*h) Name() string { return \"\" }",
			"package dep\ntype H struct{ *h }\ntype h struct{ fd uintptr; name string }\n" +
				"func (*h) Name() string { return \"\" }",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.H{}", true, false},
		{"a constant compared with constants",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nfunc F() int {\n" +
				"\tif dep.OS == \"windows\" { return 1 }\n" +
				"\tswitch dep.OS {\n\tcase \"linux\":\n\t\treturn 2\n\t}\n\treturn 0\n}", true, false},
		{"a constant's value used",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nfunc F() int {\n" +
				"\tif dep.OS == \"windows\" { return 1 }\n\treturn len(dep.OS)\n}", false, false},
		{"a string constant printed as an argument",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F() { logf(\"not on %s\", dep.OS); _ = dep.OS != \"plan9\" }", true, false},
		{"a string constant returned or stored in a variable",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nvar v = dep.OS\n" +
				"func F() string { s := dep.OS; _ = s; return dep.OS }", true, false},
		{"a string constant stored in a constant",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nconst c = dep.OS\n" +
				"func F() string { return dep.OS }", false, false},
		{"a numeric constant stored in a variable",
			"package dep\nconst N = 100",
			"package dep\nconst N = 1000",
			"package user\nimport \"example.com/dep\"\nvar v int8 = dep.N", false, false},
		{"a concatenation of string constants, an element and a variadic ...string argument",
			"package dep\nconst OS, Arch = \"linux\", \"386\"",
			"package dep\nconst OS, Arch = \"windows\", \"arm\"",
			"package user\nimport \"example.com/dep\"\nfunc join(p ...string) string { return \"\" }\n" +
				"type opt struct{ name string }\n" +
				"var v = []string{\"-D\", \"GOOS_\" + dep.OS, join(\"a\", dep.OS+\"_\"+dep.Arch)}\n" +
				"var o = opt{name: (dep.OS + \"/\") + dep.Arch}\n" +
				"var m = map[string]string{\"os\": dep.OS}\n" +
				"func F(dir string) string { return dir + \"/\" + dep.OS }", true, false},
		{"a concatenation of string constants, in a constant",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nconst c = \"GOOS_\" + dep.OS", false, false},
		{"a concatenation of string constants, its length",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nvar n = len(\"GOOS_\" + dep.OS)", false, false},
		{"a concatenation of string constants, printed",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"%d\"",
			"package user\nimport \"example.com/dep\"\nfunc logln(args ...any) {}\n" +
				"func F() { logln(\"a\" + dep.OS) }", false, false},
		{"a string constant as a map's key",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nvar m = map[string]int{dep.OS: 1, \"windows\": 2}",
			false, false},
		{"typed integer constants or-ed into a parameter",
			"package dep\nconst A, B int = 1, 2\ntype Mode uint32\nconst M Mode = 1",
			"package dep\nconst A, B int = 8, 16\ntype Mode uint32\nconst M Mode = 4",
			"package user\nimport \"example.com/dep\"\nfunc open(flag int, m dep.Mode) {}\n" +
				"func F() { open(dep.A|dep.B&^4, dep.M); x := dep.A; _ = x }", true, false},
		{"typed integer constants added",
			"package dep\nconst A, B int = 1, 2",
			"package dep\nconst A, B int = 8, 1 << 62",
			"package user\nimport \"example.com/dep\"\nfunc open(flag int) {}\n" +
				"func F() { open(dep.A + dep.B) }", false, false},
		{"an untyped integer constant passed",
			"package dep\nconst N = 1",
			"package dep\nconst N = 1 << 40",
			"package user\nimport \"example.com/dep\"\nfunc g(int32) {}\nfunc F() { g(dep.N) }",
			false, false},
		{"a printed string constant's formatting directives, both with one",
			"package dep\nconst OS = \"50% done\"",
			"package dep\nconst OS = \"50%d one\"",
			"package user\nimport \"example.com/dep\"\nfunc logln(args ...any) {}\n" +
				"func F() { logln(dep.OS) }", false, false},
		{"a printed string constant's formatting directive",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"50%\"",
			"package user\nimport \"example.com/dep\"\nfunc logln(args ...any) {}\n" +
				"func F() { logln(dep.OS) }", false, false},
		{"a string constant as a format",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F() { logf(dep.OS) }", false, false},
		{"a constant as a switch case",
			"package dep\nconst OS = \"linux\"",
			"package dep\nconst OS = \"windows\"",
			"package user\nimport \"example.com/dep\"\nfunc F(s string) {\n" +
				"\tswitch s {\n\tcase dep.OS, \"linux\":\n\t}\n}", false, false},
		{"an Example's identifier, found in an import on one target only (vet's tests)",
			"package dep\nvar X int\nfunc Foo() {}",
			"package dep\nvar X int",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.X\nfunc ExampleFoo() {}",
			false, true},
		{"an Example's member, on one target only (vet's tests)",
			"package dep\ntype T struct{}\nfunc (T) M() {}",
			"package dep\ntype T struct{}",
			"package user\nimport \"example.com/dep\"\nvar _ dep.T\nfunc ExampleT_M() {}",
			false, true},
		{"with vet, what an unexported field points to, in a value not formatted",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nvar _ dep.Rec", true, true},
		{"with vet, what an unexported field points to, in a value formatted (printf)",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r []dep.Rec) { logf(\"%d\", r); _ = append([]byte{}, \"s\"...) }",
			false, true},
		{"with vet, what an unexported field points to, in a value formatted with %v",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r []dep.Rec) { logf(\"%5.2d%% %+v %T\", 1, r, r) }",
			true, true},
		{"with vet, formatted with %v and another verb",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r []dep.Rec) { logf(\"%v %s\", 1, r) }",
			false, true},
		{"with vet, formatted with %v, arguments indexed",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r []dep.Rec) { logf(\"%[1]v %[2]v\", r, 1) }",
			false, true},
		{"with vet, formatted with %v, one argument too many",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r []dep.Rec) { logf(\"%v\", 1, r) }",
			false, true},
		{"with vet, what an unexported field holds by value, no lock in it",
			"package dep\ntype T struct{ start stamp }\ntype stamp struct{ t int64 }",
			"package dep\ntype T struct{ start stamp }\ntype stamp struct{ t, u int64 }",
			"package user\nimport \"example.com/dep\"\nvar _ dep.T", true, true},
		{"with vet, what an unexported field points to, in values given to a Print-like call",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logln(args ...any) {}\n" +
				"func g() (int, dep.Rec) { return 0, dep.Rec{} }\nfunc F(r dep.Rec) { logln(g()); logln(r) }",
			true, true},
		{"with vet, what an unexported field points to, formatted with a format not constant",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(f string, r dep.Rec) { logf(f, r) }",
			true, true},
		{"with vet, what an unexported field points to, formatted with %s by a String method",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }\n" +
				"func (*Rec) String() string { return \"\" }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }\n" +
				"func (*Rec) String() string { return \"\" }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r *dep.Rec) { logf(\"%s %q\", r, r) }",
			true, true},
		{"with vet, formatted with %s, a String method on one target only",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }\n" +
				"func (*Rec) String() string { return \"\" }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r *dep.Rec) { logf(\"%s\", r) }",
			false, true},
		{"with vet, formatted with %d, a String method",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a int }\n" +
				"func (*Rec) String() string { return \"\" }",
			"package dep\ntype Rec struct{ p *inner }\ntype inner struct{ a string }\n" +
				"func (*Rec) String() string { return \"\" }",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r *dep.Rec) { logf(\"%d\", r) }",
			false, true},
		{"with vet, formatted with %d, a Format method",
			"package dep\nimport \"fmt\"\ntype Rec struct{ p *inner }\ntype inner struct{ a int }\n" +
				"func (Rec) Format(fmt.State, rune) {}",
			"package dep\nimport \"fmt\"\ntype Rec struct{ p *inner }\ntype inner struct{ a string }\n" +
				"func (Rec) Format(fmt.State, rune) {}",
			"package user\nimport \"example.com/dep\"\nfunc logf(f string, args ...any) {}\n" +
				"func F(r dep.Rec) { logf(\"%d\", r) }",
			true, true},
		{"with vet, a lock an unexported field holds by value (copylock)",
			"package dep\ntype Rec struct{ mu lock }\ntype lock struct{}\n" +
				"func (*lock) Lock() {}\nfunc (*lock) Unlock() {}",
			"package dep\ntype Rec struct{ mu lock }\ntype lock struct{}",
			"package user\nimport \"example.com/dep\"\nvar _ dep.Rec", false, true},
		{"an exported field's type, not selected",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Setpgid bool }",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Chroot string }",
			"package user\nimport \"example.com/dep\"\nfunc F(c *dep.Cmd) *dep.Cmd { return c }",
			true, true},
		{"an exported field's type, selected",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Setpgid bool }",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Chroot string }",
			"package user\nimport \"example.com/dep\"\nfunc F(c *dep.Cmd) { c.Attr = nil }",
			false, true},
		{"a field of an exported field's type, selected through it",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Setpgid bool }",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Chroot string }",
			"package user\nimport \"example.com/dep\"\nfunc F(c *dep.Cmd) { c.Attr.Setpgid = true }",
			false, false},
		{"an exported field's type, set by position",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Setpgid bool }",
			"package dep\ntype Cmd struct{ Attr *Attr }\ntype Attr struct{ Chroot string }",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.Cmd{nil}",
			false, false},
		{"an exported field's comparability, not selected",
			"package dep\ntype Rec struct{ V Val }\ntype Val struct{ n int }",
			"package dep\ntype Rec struct{ V Val }\ntype Val struct{ n []int }",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.Rec{} == dep.Rec{}",
			false, false},
		{"an unexported method, with an interface of another package's unexported methods",
			"package dep\ntype F struct{}\nfunc (*F) Close() {}\nfunc (*F) splice() {}",
			"package dep\ntype F struct{}\nfunc (*F) Close() {}",
			"package user\nimport (\"example.com/dep\"; \"example.com/tb\")\n" +
				"var _ *dep.F\nvar _ tb.TB", true, false},
		{"an unexported method, with an interface of its package's unexported methods",
			"package dep\ntype F struct{}\nfunc (*F) splice() {}\ntype I interface{ splice() }",
			"package dep\ntype F struct{}\ntype I interface{ splice() }",
			"package user\nimport (\"example.com/dep\"; \"example.com/tb\")\n" +
				"var _ *dep.F\nvar _ dep.I\nvar _ tb.TB", false, false},
		{"an unexported method no interface of its package names",
			"package dep\ntype F struct{}\nfunc (*F) other() {}\ntype I interface{ splice() }",
			"package dep\ntype F struct{}\ntype I interface{ splice() }",
			"package user\nimport \"example.com/dep\"\nvar _ *dep.F\nvar _ dep.I", true, false},
		{"an import's other names, with vet and no Example for them",
			"package dep\nvar X int\nfunc Foo() {}",
			"package dep\nvar X int\nfunc Foo(int) {}",
			"package user\nimport \"example.com/dep\"\nvar _ = dep.X\nfunc ExampleBar() {}",
			true, true},
	} {
		a, b := userPrint(t, c.depA, c.user, c.vet, nil), userPrint(t, c.depB, c.user, c.vet, nil)
		if (a == b) != c.same {
			t.Errorf("%s: prints equal %v, want %v", c.name, a == b, c.same)
		}
		// The second print reuses the first one's parts where their roots reach the same.
		pc := &partCache{}
		a, b = userPrint(t, c.depA, c.user, c.vet, pc), userPrint(t, c.depB, c.user, c.vet, pc)
		if (a == b) != c.same {
			t.Errorf("%s, parts kept: prints equal %v, want %v", c.name, a == b, c.same)
		}

	}
}
