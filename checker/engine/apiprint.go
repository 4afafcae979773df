// Sharing by what a package uses of its imports: after a main-module package is checked, the
// objects it took from other packages; for another target, a fingerprint of those same objects
// there says whether checking it again would give the same findings.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"hash"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// A main-module package's findings depend on its own inputs (files, sizes, language version,
// vet's inputs: its "own key", the sharing key without its imports) and on what it can observe
// of the packages it imports. It observes them only through qualified identifiers (pkg.Name)
// and dot imports: every value, type, field or method it gets from elsewhere is reached from
// the package-level objects those name. So a check records the package-level objects of other
// packages it used (use), and another target whose own key is equal and whose imports give
// those objects identical deep descriptions (apiPrint) gets identical findings. A deep
// description covers, conservatively, everything the type-checker and vet's analyzers can
// derive: kinds, names, constant values, and every named type reachable from them with its
// position, type parameters, underlying type (struct fields in order with tags and unexported
// fields, interfaces' methods and embedded types) and all methods; and, with vet, the facts
// of every object described (printf wrappers, functions that never return).
//
// Beyond what it used, a package's description includes the package name of every import,
// the whole exported API of each dot-imported package (a name it adds could collide) and, with
// vet, what every import has under each name its tests analyzer looks up (the identifiers in
// its Example functions' names). A package with type errors is not shared this way: a name it
// failed to find might be found elsewhere.

// useRef is one package-level object of another package that a check used, and, for a
// constant, how much of its value its uses can observe (constUses).
type useRef struct {
	path, name string
	use        constUse
}

// constUse is how much of a constant's value the uses of a package can observe.
type constUse int

const (
	constValue    constUse = iota // all of it
	constCompared                 // none: only compared (its type)
	constPrinted                  // a string's printf properties: compared, or printed (below)
)

// usesOf are the package-level objects of other packages that pkg's check used, in order.
func usesOf(pkg *types.Package, info *types.Info, files []*ast.File) []useRef {
	seen := map[types.Object]bool{}
	for _, obj := range info.Uses {
		p := obj.Pkg()
		if p == nil || p == pkg || obj.Parent() != p.Scope() {
			continue
		}
		seen[obj] = true
	}
	uses := constUses(files, info, seen)
	out := make([]useRef, 0, len(seen))
	for obj := range seen {
		out = append(out, useRef{obj.Pkg().Path(), obj.Name(), uses[obj]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return out[i].name < out[j].name
	})
	return out
}

// constUses are the constants among used whose value the package cannot observe in full:
//
//   - constCompared: every use compares (== or !=) it with another constant, or with anything
//     when it is a string, or switches on it with constant cases only: if runtime.GOOS ==
//     "windows", switch runtime.GOOS { case "linux": }. Only its type matters there: such a
//     comparison is a boolean (a boolean constant's value changes no type, no type error and no
//     finding of vet's analyzers, which read only whether an operand is constant), and a string
//     constant converts to any string type whatever its value. So a package comparing
//     runtime.GOOS is not checked again for each GOOS.
//     A string constant returned, assigned or given to a variable as it is (return
//     runtime.GOOS, goos := runtime.GOOS) counts as compared: it becomes a value of some
//     string type, whatever it holds, and no check follows values through variables.
//     So is a string constant passed as it is to a function's parameter:
//     types.SizesFor("gc", runtime.GOARCH), filepath.Join(dir, runtime.GOOS). Not to a
//     conversion or a builtin (T(c) and len(c) are constants with its value), nor to a
//     function that may take a format (variadic ...interface: printf wrappers) or a layout
//     (package time: vet's timeformat). So is one given as an element or a field value of a
//     composite literal ([]string{"-D", runtime.GOOS}; not a map's key: keys must differ).
//     What holds for a string constant there holds for a concatenation of constants that is
//     given on the same way ("GOOS_" + runtime.GOOS): it is a string constant too, and what
//     it holds is read no more. So it does for a typed constant of another basic kind, and
//     for |, &, ^ and &^ of typed integer constants (os.O_CREATE|os.O_WRONLY): a typed
//     constant converts to nothing implicitly (its value was checked against its type where
//     it was declared), and those operations stay within the type.
//     A string constant concatenated with a string that is not constant (dir + runtime.GOOS)
//     counts as compared wherever that goes: the result is not a constant.
//   - constPrinted: a string constant that every use compares, or passes as it is in a
//     variadic ...interface slot (t.Skipf("not on %s", runtime.GOOS)): there it converts to an
//     interface whatever its value, and what vet's printf reads of a constant argument of a
//     Print-like call is whether it holds a "%" (a formatting directive) and ends in a newline;
//     those two are described with its type.
//
// A constant used any other way (len(runtime.GOOS), a case, a map key, a format string, in a
// constant declaration, or given to a Print-like call concatenated) is not among them: its
// value is described.
func constUses(files []*ast.File, info *types.Info,
	used map[types.Object]bool) map[types.Object]constUse {
	out := map[types.Object]constUse{}
	for obj := range used {
		if _, ok := obj.(*types.Const); ok {
			out[obj] = constCompared
		}
	}
	if len(out) == 0 {
		return out
	}
	constant := func(e ast.Expr) bool { return info.Types[e].Value != nil }
	isString := func(obj types.Object) bool { return isStringType(obj.Type()) }
	// ref is the identifier naming one of out that e is (pkg.Name or, dot-imported, Name).
	ref := func(e ast.Expr) *ast.Ident {
		e = ast.Unparen(e)
		if sel, ok := e.(*ast.SelectorExpr); ok {
			e = sel.Sel
		}
		if id, ok := e.(*ast.Ident); ok {
			if _, in := out[info.Uses[id]]; in {
				return id
			}
		}
		return nil
	}
	fine := map[*ast.Ident]constUse{} // uses in a comparison, or printed
	// passed are the uses of out that e passes on whole: e itself, or the operands of a
	// constant concatenation, or of typed integers' |, &, ^ or &^ (constUses), nested.
	var passed func(e ast.Expr) []*ast.Ident
	passed = func(e ast.Expr) []*ast.Ident {
		e = ast.Unparen(e)
		if id := ref(e); id != nil {
			return []*ast.Ident{id}
		}
		b, ok := e.(*ast.BinaryExpr)
		if !ok || !constant(e) {
			return nil
		}
		basic, _ := info.Types[e].Type.Underlying().(*types.Basic)
		switch {
		case basic == nil:
			return nil
		case b.Op == token.ADD && basic.Info()&types.IsString != 0:
		case (b.Op == token.OR || b.Op == token.AND || b.Op == token.XOR ||
			b.Op == token.AND_NOT) && basic.Info()&types.IsInteger != 0 &&
			basic.Info()&types.IsUntyped == 0:
		default:
			return nil
		}
		return append(passed(b.X), passed(b.Y)...)
	}
	// stored: a string constant (or a typed one) returned or stored in a variable as it is
	// becomes a value of its type whatever it holds: no check sees which.
	stored := func(e ast.Expr) {
		if strictPrints() {
			return
		}
		for _, id := range passed(e) {
			obj := info.Uses[id]
			if basic, ok := obj.Type().(*types.Basic); isString(obj) || !ok ||
				basic.Info()&types.IsUntyped == 0 {
				fine[id] = constCompared
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op == token.ADD && !constant(n) && isStringType(info.Types[n].Type) {
					stored(n.X) // a string that is not constant: what goes in is not read
					stored(n.Y)
					break
				}
				if n.Op != token.EQL && n.Op != token.NEQ {
					break
				}
				for _, side := range [2][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
					for _, id := range passed(side[0]) {
						if constant(side[1]) || isString(info.Uses[id]) {
							fine[id] = constCompared
						}
					}
				}
			case *ast.SwitchStmt:
				id := ref(n.Tag)
				if id == nil || n.Init != nil {
					break
				}
				for _, c := range n.Body.List {
					for _, e := range c.(*ast.CaseClause).List {
						if !constant(e) {
							return true
						}
					}
				}
				fine[id] = constCompared
			case *ast.ReturnStmt:
				for _, r := range n.Results {
					stored(r)
				}
			case *ast.AssignStmt:
				if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
					for _, r := range n.Rhs {
						stored(r)
					}
				}
			case *ast.GenDecl:
				if n.Tok == token.VAR {
					for _, spec := range n.Specs {
						for _, v := range spec.(*ast.ValueSpec).Values {
							stored(v)
						}
					}
				}
			case *ast.CompositeLit:
				if _, isMap := info.Types[n].Type.Underlying().(*types.Map); isMap {
					for _, elt := range n.Elts {
						if kv, ok := elt.(*ast.KeyValueExpr); ok {
							stored(kv.Value)
						}
					}
					break
				}
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						elt = kv.Value // a field's name or an index: not a value
					}
					stored(elt)
				}
			case *ast.CallExpr:
				for _, arg := range variadicInterfaceArgs(n, info) {
					if id := ref(arg); id != nil && isString(info.Uses[id]) && !strictPrints() {
						fine[id] = constPrinted
					}
				}
				for _, arg := range plainArgs(n, info) {
					stored(arg)
				}
			}
			return true
		})
	}
	for id, obj := range info.Uses {
		if _, in := out[obj]; !in {
			continue
		}
		switch u := fine[id]; {
		case u == constValue:
			delete(out, obj)
		case u > out[obj]:
			out[obj] = u
		}
	}
	return out
}

// plainArgs are the arguments of call in a function's parameters, where a constant becomes a
// value of the parameter's type whatever it holds (constUses): none for a conversion or a
// builtin, for a function with a variadic ...interface parameter (its string parameters may be
// printf formats, read by vet) or a function of package time (layouts).
func plainArgs(call *ast.CallExpr, info *types.Info) []ast.Expr {
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() || tv.IsBuiltin() {
		return nil
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return nil
	}
	if variadicInterface(sig) {
		return nil
	}
	n := sig.Params().Len()
	if sig.Variadic() && call.Ellipsis.IsValid() {
		n-- // f(a, s...): s is a slice
	} else if sig.Variadic() {
		n = len(call.Args)
	}
	if callee := calleeIdent(call); callee != nil {
		if obj := info.Uses[callee]; obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "time" {
			return nil
		}
	}
	return call.Args[:min(n, len(call.Args))]
}

// isStringType says whether t is a string type (typed, named or untyped).
func isStringType(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// variadicInterfaceArgs are the arguments of call in a variadic ...interface slot (a
// printf-like function's args ...any), as they are (none when a slice is passed with ...).
func variadicInterfaceArgs(call *ast.CallExpr, info *types.Info) []ast.Expr {
	sig, ok := info.Types[call.Fun].Type.(*types.Signature)
	if !ok || call.Ellipsis.IsValid() || !variadicInterface(sig) {
		return nil
	}
	return call.Args[min(sig.Params().Len()-1, len(call.Args)):]
}

// variadicInterface says whether sig ends in a variadic ...interface parameter (a printf-like
// function's args ...any; append's variadic parameter may be a string: append(b, s...)).
func variadicInterface(sig *types.Signature) bool {
	if !sig.Variadic() {
		return false
	}
	last, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice)
	return ok && types.IsInterface(last.Elem())
}

// observed is what a result entry observed of its imports, besides its files: what its
// description (apiPrint) covers.
type observed struct {
	uses  []useRef // the package-level objects of other packages it used (usesOf)
	whole []string // the imports whose whole exported API it sees: dot imports (a name could collide)
	// With vet, the names its tests analyzer looks up in every import: the identifier of each
	// Example function's name (ExampleFoo_Bar: Foo, found or not, and its members).
	lookups []string
	// With vet, the other packages' named types whose values it may format (formattedTypes):
	// their unexported fields are described in full, since printf looks into them.
	formatted []string
	// The struct fields it selects (x.F, a key F: in a literal) or sets by position (an
	// unkeyed literal), of any package, by fieldKey: the types of other fields are described
	// by reference (lazyField).
	selected []string
	// With vet, the package has assembly or cgo files: asmdecl sizes its functions' arguments
	// and cgocall looks for Go pointers in what it passes to C, so other packages' unexported
	// fields are described in the value view.
	layout bool
	// The other packages' named types whose size, alignment or field offsets it takes
	// (sizedTypes): their unexported fields are described in the value view.
	sized []string
	// The method names it can look up in its own code (lookupNames), case-folded: another
	// package's exported methods are described when one of these or of the interfaces the
	// print describes names them.
	names []string
	sets  observedSets // names, selected, sized and formatted as sets
}

// observedSets are an observed set's names, selected fields, sized and formatted types as sets,
// shared by the prints of that observed set (read only).
type observedSets struct{ names, selected, sized, formatted map[string]bool }

// observedOf is what a checked package observed of its imports.
// layout: see observed.layout.
func observedOf(pkg *types.Package, info *types.Info, files []*ast.File, fset *token.FileSet,
	vet, layout bool) observed {
	o := observed{uses: usesOf(pkg, info, files), whole: dotImports(files),
		selected: selectedFields(info, files), sized: sizedTypes(pkg, info, files),
		names: lookupNames(files, vet)}
	if vet {
		o.lookups = exampleIdents(fset, files)
		o.formatted = formattedTypes(pkg, info, files)
		o.layout = layout
	}
	o.sets = observedSets{names: setOf(o.names), selected: setOf(o.selected),
		sized: setOf(o.sized), formatted: setOf(o.formatted)}
	return o
}

// key is the observed set as one string, hashed: two entries with equal keys have their prints
// computed from the same objects, so a print of one serves both.
func (o observed) key() string {
	var b strings.Builder
	for _, r := range o.uses {
		fmt.Fprintf(&b, "%q %q %d\n", r.path, r.name, r.use)
	}
	for _, w := range o.whole {
		fmt.Fprintf(&b, "whole %q\n", w)
	}
	for _, n := range o.lookups {
		fmt.Fprintf(&b, "lookup %q\n", n)
	}
	for _, t := range o.formatted {
		fmt.Fprintf(&b, "formatted %q\n", t)
	}
	for _, f := range o.selected {
		fmt.Fprintf(&b, "selected %q\n", f)
	}
	fmt.Fprintf(&b, "layout %t\n", o.layout)
	for _, t := range o.sized {
		fmt.Fprintf(&b, "sized %q\n", t)
	}
	for _, n := range o.names {
		fmt.Fprintf(&b, "name %q\n", n)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// dotImports are the import paths imported with a dot, sorted.
func dotImports(files []*ast.File) []string {
	set := map[string]bool{}
	for _, f := range files {
		for _, s := range f.Imports {
			if s.Name != nil && s.Name.Name == "." {
				if p, err := strconv.Unquote(s.Path.Value); err == nil {
					set[p] = true
				}
			}
		}
	}
	return sortedKeys(set)
}

// exampleIdents are the identifiers vet's tests analyzer looks up for the package's Example
// functions (checkExampleName: in _test.go files, a function named ExampleIdent_Member_suffix
// is checked by looking Ident up in the package, then in every package it imports, and Member
// among what it finds), sorted.
func exampleIdents(fset *token.FileSet, files []*ast.File) []string {
	set := map[string]bool{}
	for _, f := range files {
		if !strings.HasSuffix(fset.File(f.FileStart).Name(), "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			ident := strings.SplitN(strings.TrimPrefix(fn.Name.Name, "Example"), "_", 3)[0]
			if ident != "" {
				set[ident] = true
			}
		}
	}
	return sortedKeys(set)
}

// formattedTypes are the named types of other packages (as typeKey names them) that a value
// the package passes in a variadic ...interface slot of any call may hold, where vet's printf
// may look into it (lookedInto). printf looks into such a value's fields, exported or not, the
// elements of its arrays, slices and maps, and what its pointers point to; the walk stops at
// another package's named type, whose description then covers the rest.
func formattedTypes(pkg *types.Package, info *types.Info, files []*ast.File) []string {
	set := map[string]bool{}
	walk := typeWalk(pkg, set, components)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				args := variadicInterfaceArgs(call, info)
				looked := lookedInto(call, info, args)
				for i, arg := range args {
					if looked[i] {
						walk(info.Types[arg].Type)
					}
				}
			}
			return true
		})
	}
	return sortedKeys(set)
}

// lookedInto says, for each of a call's variadic ...interface arguments (args), whether vet's
// printf may look into its value. It does only to match a Printf-like call's verb: the call's
// argument before them is the format (no argument before them: no format, at most a Print-like
// call, whose arguments printf checks as they are), and it matches the verbs of a constant one
// only (a format that is not constant is checked alone). A verb takes the next argument (no
// explicit index, no * width: then nothing is known), and printf does not look into it for %v
// and %T (any type), %w (an error or not), a value that may format itself (a Format method, or
// an interface) or, for the verbs that take a string (s, q, x, X), one with a String or an
// Error method. Those methods are among the names a print with vet describes (lookupNames), so
// another target's print differs where they do. Anything else (another verb, an argument
// beyond the verbs) says true.
func lookedInto(call *ast.CallExpr, info *types.Info, args []ast.Expr) []bool {
	n := len(args)
	out := make([]bool, n)
	at := len(call.Args) - n - 1
	if n == 0 || at < 0 {
		return out
	}
	tv := info.Types[call.Args[at]]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return out
	}
	for i := range out {
		out[i] = true
	}
	format, arg := constant.StringVal(tv.Value), 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i == len(format) {
			break
		}
		switch c := format[i]; {
		case c == '%':
			continue
		case c == '[' || c == '*': // arguments out of order: nothing is known
			for j := range out {
				out[j] = true
			}
			return out
		default:
			if arg < n {
				out[arg] = !verbSkipsValue(c, info.Types[args[arg]].Type)
			}
			arg++
		}
	}
	return out
}

// verbSkipsValue says whether vet's printf matches verb with an argument of type typ without
// looking into its value (lookedInto), as its matchArgType does.
func verbSkipsValue(verb byte, typ types.Type) bool {
	switch {
	case typ == nil, verb == 'v', verb == 'T', verb == 'w':
		return true
	case formatsItself(typ):
		return true
	case strings.IndexByte("sqxX", verb) >= 0:
		return stringsItself(typ)
	}
	return false
}

// formatsItself says whether a value of typ may implement fmt.Formatter: an interface (not a
// type parameter), or a type with a method Format(fmt.State, rune).
func formatsItself(typ types.Type) bool {
	if _, ok := typ.Underlying().(*types.Interface); ok {
		if _, param := types.Unalias(typ).(*types.TypeParam); !param {
			return true
		}
	}
	fn, ok := lookupMethod(typ, "Format")
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 2 || sig.Results().Len() != 0 ||
		!types.Identical(sig.Params().At(1).Type(), types.Typ[types.Rune]) {
		return false
	}
	named, ok := types.Unalias(sig.Params().At(0).Type()).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "fmt" &&
		named.Obj().Name() == "State"
}

// stringsItself says whether a value of typ converts to error or has a String() string
// method (printf's isConvertibleToString).
func stringsItself(typ types.Type) bool {
	if b, ok := types.Unalias(typ).(*types.Basic); ok && b.Kind() == types.UntypedNil {
		return false
	}
	if types.ConvertibleTo(typ, types.Universe.Lookup("error").Type()) {
		return true
	}
	fn, ok := lookupMethod(typ, "String")
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 &&
		sig.Results().At(0).Type() == types.Typ[types.String]
}

// lookupMethod is typ's method name, as a value of typ (not addressable) has it.
func lookupMethod(typ types.Type, name string) (*types.Func, bool) {
	obj, _, _ := types.LookupFieldOrMethod(typ, false, nil, name)
	fn, ok := obj.(*types.Func)
	return fn, ok
}

// sizedTypes are the named types of other packages (typeKey) whose layout the package
// observes: what the value of an unsafe.Sizeof or unsafe.Alignof argument holds by value (not
// behind a pointer, slice, map, channel, function or interface), and of the struct an
// unsafe.Offsetof selector starts from. These are constants, so they are the only way a
// type-check reads another package's layout: a package that imports unsafe only to convert
// pointers observes no more than one that does not. The walk stops at another package's named
// type, whose description in the value view then covers what it holds.
func sizedTypes(pkg *types.Package, info *types.Info, files []*ast.File) []string {
	set := map[string]bool{}
	walk := typeWalk(pkg, set, heldByValue)
	for _, f := range files {
		if !importsUnsafe(f) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			b, ok := info.Uses[calleeIdent(call)].(*types.Builtin)
			if !ok || b.Pkg() != types.Unsafe {
				return true
			}
			switch b.Name() {
			case "Sizeof", "Alignof":
				walk(info.Types[call.Args[0]].Type)
			case "Offsetof":
				if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok {
					t := info.Types[sel.X].Type
					if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
						t = ptr.Elem()
					}
					walk(t)
				}
			}
			return true
		})
	}
	return sortedKeys(set)
}

// lookupNames are the method names (folded: go/types also looks a missing name up with its
// case ignored, for its error message) a package can look up on another package's types from
// its own code: every selector's name (x.M, T.M, and more: fields and qualified names) and
// every method of an interface type it writes (satisfaction, assertions, constraints). With
// vet, also those vet's analyzers look up on any type (printf: String, Error, Format, GoString;
// copylock: Lock, Unlock; errorsas and stdmethods: Error) and the words of Example function
// names (the tests analyzer looks ExampleT_M's M up on T). The interfaces of other packages a
// print describes add their methods' names as it describes them (describer.lookable).
func lookupNames(files []*ast.File, vet bool) []string {
	set := map[string]bool{}
	if vet {
		for _, n := range []string{"String", "Error", "Format", "GoString", "Lock", "Unlock"} {
			set[foldName(n)] = true
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				set[foldName(n.Sel.Name)] = true
			case *ast.InterfaceType:
				for _, m := range n.Methods.List {
					for _, name := range m.Names {
						set[foldName(name.Name)] = true
					}
				}
			case *ast.FuncDecl:
				if vet && n.Recv == nil && strings.HasPrefix(n.Name.Name, "Example") {
					for _, word := range strings.Split(n.Name.Name, "_") {
						set[foldName(word)] = true
					}
				}
			}
			return true
		})
	}
	return sortedKeys(set)
}

// foldName is a name as go/types compares names with their case ignored (strings.EqualFold).
func foldName(name string) string {
	return strings.ToLower(strings.ToUpper(name))
}

// calleeIdent is the name a call calls by (f in f(x) and pkg.f(x)), else nil.
func calleeIdent(call *ast.CallExpr) *ast.Ident {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	}
	return nil
}

// importsUnsafe says whether f imports package unsafe.
func importsUnsafe(f *ast.File) bool {
	for _, s := range f.Imports {
		if s.Path.Value == `"unsafe"` {
			return true
		}
	}
	return false
}

// typeWalk returns a walk adding to set the typeKey of every other package's named type it
// reaches from a type through next (the types a type is made of that the walk follows),
// through the package's own named types (their type arguments and underlying types) and type
// parameters' constraints.
func typeWalk(pkg *types.Package, set map[string]bool, next func(types.Type) []types.Type,
) func(types.Type) {
	seen := map[types.Type]bool{}
	var walk func(t types.Type)
	walk = func(t types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch t := types.Unalias(t).(type) {
		case *types.Named:
			if obj := t.Origin().Obj(); obj.Pkg() != nil && obj.Pkg() != pkg {
				set[typeKey(t)] = true
				return
			}
			for i := range t.TypeArgs().Len() {
				walk(t.TypeArgs().At(i))
			}
			walk(t.Underlying())
		case *types.TypeParam:
			walk(t.Constraint())
		default:
			for _, c := range next(t) {
				walk(c)
			}
		}
	}
	return walk
}

// heldByValue are the types a value of t holds in place: an array's elements and a struct's
// fields; nothing of a pointer, slice, map, channel, function or interface.
func heldByValue(t types.Type) []types.Type {
	switch t := t.(type) {
	case *types.Array:
		return []types.Type{t.Elem()}
	case *types.Struct:
		out := make([]types.Type, t.NumFields())
		for i := range t.NumFields() {
			out[i] = t.Field(i).Type()
		}
		return out
	}
	return nil
}

// selectedFields are the struct fields (fieldKey) the package selects or names as a key in a
// composite literal (both are uses of the field), and every field of a struct it writes as an
// unkeyed literal (the values go to the fields by position), sorted.
func selectedFields(info *types.Info, files []*ast.File) []string {
	set := map[string]bool{}
	for _, obj := range info.Uses {
		if v, ok := obj.(*types.Var); ok && v.IsField() {
			set[fieldKey(v)] = true
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) == 0 {
				return true
			}
			if _, keyed := lit.Elts[0].(*ast.KeyValueExpr); keyed {
				return true
			}
			if st, ok := typeOf(info, lit).Underlying().(*types.Struct); ok {
				for i := range st.NumFields() {
					set[fieldKey(st.Field(i))] = true
				}
			}
			return true
		})
	}
	return sortedKeys(set)
}

// typeOf is e's type (types.Typ[types.Invalid] when it has none).
func typeOf(info *types.Info, e ast.Expr) types.Type {
	if t := info.Types[e].Type; t != nil {
		return t
	}
	return types.Typ[types.Invalid]
}

// fieldKey names a struct field across targets and structs: its package path and name.
func fieldKey(f *types.Var) string {
	if f.Pkg() == nil {
		return "." + f.Name()
	}
	return f.Pkg().Path() + "." + f.Name()
}

// lazyField is an exported field of a struct described by reference (its type with named
// types by name, whether comparable, the lock it holds): the named types its type holds are
// defined (refs) only in the print of a package that selects it (observed.selected).
type lazyField struct {
	key  string
	refs []queued
}

// namedIn are the named types t refers to, as describing it in full would queue them.
func namedIn(t types.Type, f fieldsMode) []queued {
	var out []queued
	seen := map[types.Type]bool{}
	var walk func(t types.Type)
	walk = func(t types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Alias:
			walk(types.Unalias(t))
		case *types.Named:
			out = append(out, queued{t.Origin(), seenFull, f})
			for i := range t.TypeArgs().Len() {
				walk(t.TypeArgs().At(i))
			}
		case *types.Signature:
			walk(t.Params())
			walk(t.Results())
		case *types.Interface:
			for i := range t.NumExplicitMethods() {
				walk(t.ExplicitMethod(i).Type())
			}
			for _, c := range components(t) {
				walk(c)
			}
		default:
			for _, c := range components(t) {
				walk(c)
			}
		}
	}
	walk(t)
	return out
}

// lockPath is the path to a lock that a value of typ holds, as vet's copylock computes it
// (copylock.lockPath) and reports it ("T contains sync.Mutex"): nil when it holds none. Type
// parameters hold none here: a generic type's arguments are described where it is used.
func lockPath(typ types.Type, seen map[types.Type]bool) []string {
	if typ == nil || seen[typ] {
		return nil
	}
	seen[typ] = true
	if _, ok := types.Unalias(typ).(*types.TypeParam); ok {
		return nil
	}
	for {
		a, ok := typ.Underlying().(*types.Array)
		if !ok {
			break
		}
		typ = a.Elem()
	}
	st, ok := typ.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	if types.Implements(types.NewPointer(typ), lockerType) && !types.Implements(typ, lockerType) {
		return []string{typ.String()}
	}
	if n, ok := types.Unalias(typ).(*types.Named); ok && n.Obj().Pkg() != nil &&
		n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "noCopy" {
		return []string{typ.String()}
	}
	for i := range st.NumFields() {
		if sub := lockPath(st.Field(i).Type(), seen); sub != nil {
			return append(sub, typ.String())
		}
	}
	return nil
}

// lockerType is sync.Locker's method set: Lock() and Unlock().
var lockerType = func() *types.Interface {
	nullary := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	methods := []*types.Func{
		types.NewFunc(token.NoPos, nil, "Lock", nullary),
		types.NewFunc(token.NoPos, nil, "Unlock", nullary),
	}
	return types.NewInterface(methods, nil).Complete()
}()

// components are the types a value of type t holds in place or points to: the elements of a
// pointer, slice, array, map or channel, a struct's fields, a tuple's values, a union's terms,
// an interface's embedded types. Named types, signatures and type parameters are the callers'.
func components(t types.Type) []types.Type {
	var out []types.Type
	switch t := t.(type) {
	case *types.Pointer:
		out = append(out, t.Elem())
	case *types.Slice:
		out = append(out, t.Elem())
	case *types.Array:
		out = append(out, t.Elem())
	case *types.Map:
		out = append(out, t.Key(), t.Elem())
	case *types.Chan:
		out = append(out, t.Elem())
	case *types.Struct:
		for i := range t.NumFields() {
			out = append(out, t.Field(i).Type())
		}
	case *types.Tuple:
		for i := range t.Len() {
			out = append(out, t.At(i).Type())
		}
	case *types.Union:
		for i := range t.Len() {
			out = append(out, t.Term(i).Type())
		}
	case *types.Interface:
		for i := range t.NumEmbeddeds() {
			out = append(out, t.EmbeddedType(i)) // a constraint's terms
		}
	}
	return out
}

// typeKey names a named type across targets: its package path and name.
func typeKey(n *types.Named) string {
	obj := n.Origin().Obj()
	if obj.Pkg() == nil {
		return obj.Name()
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// strictPrints says that analyzers other than vet's run with them (lint.go): what they read of
// other packages is not known, so prints describe what vet's rules here leave out (unexported
// fields in full, constants' values, every exported field's type).
var strictPrints = func() bool { return false }

// factsView describes vet's facts of objects as an importer sees them (nil without vet).
type factsView struct {
	of func(obj types.Object) string // an object's facts, described ("" for none)
	// sum hashes every fact of every package the importer sees: two views with equal sums
	// describe every object alike (a print's parts are reused by it, printparts.go).
	sum string
}

// newPrintDescriber starts the describer of one print of a package that observed obs.
func newPrintDescriber(fset *token.FileSet, sums *summaries, obs observed,
	facts *factsView) *describer {
	w := &describer{h: sha256.New(), fset: fset, facts: facts, named: map[queued]bool{},
		sums: sums, fields: fieldsCompared}
	switch {
	case facts != nil && strictPrints():
		w.fields = fieldsFull
	case facts != nil && obs.layout:
		w.fields = fieldsValue
	case facts != nil:
		w.fields = fieldsLocks
	}
	w.selected = obs.sets.selected
	if !(facts != nil && strictPrints()) { // else every method is described
		w.names, w.moreNames = obs.sets.names, map[string]bool{}
	}
	if len(obs.sized) > 0 {
		w.sized = obs.sets.sized
	}
	if facts != nil && len(obs.formatted) > 0 {
		w.formatted = obs.sets.formatted
	}
	return w
}

// useRef describes one object the package used: r.name of pkg (nil: the import is missing).
func (w *describer) useRef(pkg *types.Package, r useRef) {
	var obj types.Object
	if pkg != nil {
		obj = pkg.Scope().Lookup(r.name)
	}
	w.printf("use %q %q ", r.path, r.name)
	if c, ok := obj.(*types.Const); ok && r.use != constValue {
		w.printf("compared const ")
		w.typ(c.Type(), seenFull)
		if r.use == constPrinted && c.Val().Kind() == constant.String {
			// vet's printf reads the directives of a string holding "%" (and names the first)
			v := constant.StringVal(c.Val())
			if strings.Contains(v, "%") {
				w.printf(" printed %q", v)
			} else {
				w.printf(" printed %t", strings.HasSuffix(v, "\n"))
			}
		}
		w.printf("\n")
		return
	}
	w.object(obj)
}

// view is how much of a type an importer can observe where it appears.
//
// Everything reached through exported names and embedded fields is seen in full. An unexported
// field of another package's struct cannot be named by an importer: what it can observe of its
// type is its identity (struct identity and conversions), and what the value holds in place: size
// and alignment, comparability, and for vet's copylock any lock it holds by value. So its type is
// described with named types by reference, and the definitions of the named types it holds by
// value (not behind a pointer, slice, map, channel, function or interface) in the same view; what
// is behind those is seen by reference only. Size and alignment matter only to a package that
// takes them (unsafe.Sizeof, Alignof and Offsetof: the types it sizes, sizedTypes, and what they
// reach, are described in the value view) and, with vet, to one with assembly (asmdecl) or cgo
// files (cgocall looks for Go pointers passed to C: every type in the value view). Elsewhere
// (fieldsCompared), an unexported field is described by reference (its type's identity, for
// conversions between struct types) and whether it is comparable (the struct's ==), and with vet
// (fieldsLocks) the path to the lock it holds by value, as vet's copylock finds and reports it
// (lockPath). vet's printf looks further into a value it formats (every field, the elements of
// slices and maps, and through a field's pointer the kind and methods of what it points to), so
// with vet the unexported fields of a type whose values the package may format (formattedTypes),
// and of every type reached from it, are seen in full (fieldsFull).
//
// An unexported embedded field that is a pointer (os.File's *os.file) shows an importer only
// what it promotes: the exported fields and methods of what it points to, and of what that
// embeds in turn, by the same rule. Its layout cannot be observed through the pointer (it is
// not copied, compared or sized with the struct), and its unexported fields cannot be named.
// That type is described in the promote view: whether it is a struct, its exported members in
// full, its unexported embedded fields again in the promote view, nothing else of it (printf
// looks through a field's pointer only at the kind and methods of what it points to).
type view int

// fieldsMode is how another package's unexported (not embedded) struct fields are described.
type fieldsMode int

const (
	fieldsCompared fieldsMode = iota // by reference, and whether comparable (type-checking)
	fieldsLocks                      // the same, and the locks it holds by value (vet)
	fieldsValue                      // in the value view (sized types; vet with assembly or cgo)
	fieldsFull                       // in full (vet, in a type the package may format)
)

const (
	seenRef     view = iota + 1 // named types by reference only
	seenValue                   // definitions of named types held by value, in this view
	seenFull                    // everything
	seenPromote                 // what it promotes through an unexported embedded pointer
)

// describer writes deep descriptions: named types by reference, each defined once per view
// (queued).
type describer struct {
	h      hash.Hash
	fset   *token.FileSet
	facts  *factsView
	named  map[queued]bool // definitions queued (seenFull covers the other views)
	queue  []queued
	hidden hiddenMethods // a summary's; in a print, only needs (its texts are hiddenFrom's)
	// In a print: the hidden methods of the summaries it used (describer.use), and their
	// digests with the facts they show: the definitions described, in any order.
	hiddenFrom []*hiddenMethods
	defs       [][sha256.Size]byte
	sums       *summaries
	fields     fieldsMode // how another package's unexported fields are described
	// formatted: the types (typeKey) whose unexported fields are described in full wherever
	// they are reached (observed.formatted), in a print with vet; nil in a summary.
	formatted map[string]bool
	// sized: the types (typeKey) whose unexported fields are described at least in the value
	// view wherever they are reached (observed.sized); nil in a summary.
	sized map[string]bool
	// selected: the fields (fieldKey) whose lazily described types are defined in this print
	// (observed.selected); nil in a summary, which keeps its lazy fields in lazies instead.
	selected map[string]bool
	lazies   []lazyField
	// While summarizing one definition (summaries.get): the objects whose facts it shows, its
	// exported methods (described by the prints that can look their names up) and the method
	// names of the interfaces it describes.
	collect    bool
	factObjs   []types.Object
	methods    []deferredMethod
	ifaceNames []string
	// In a print: the method names (folded) the package can look up in its own code (nil:
	// every method is described) and those the interfaces described add; the methods
	// described, those left out by name (waiting), and those a name added since lets in.
	names     map[string]bool
	moreNames map[string]bool
	described map[methodKey]bool
	added     map[string]bool // in a print's part: every name its interfaces let in
	waiting   map[string][]deferredMethod
	ready     []deferredMethod
}

// deferredMethod is an exported method of a named type, declared by it or promoted through an
// unexported embedded pointer (the promote view). A method matters to an importer only where a
// method of that name is looked up: a selector, an interface's method (satisfaction, type
// assertions, constraints; go/types also looks the name up with its case folded, for its error
// messages) or an analyzer's lookup (lookupNames). os.File has PollFD() *poll.FD on wasip1
// only: a package that never looks that name up is checked once for wasip1 and the others.
type deferredMethod struct {
	methodKey
	fold  string // its name, folded (foldName)
	owner string // the declaring type's typeKey
	ptr   bool   // a pointer receiver
}

// methodKey is a method described with another package's unexported fields as f says (its
// owner's definition's; see queued).
type methodKey struct {
	m *types.Func
	f fieldsMode
}

// lookable adds an interface method's name (folded) to those the package can look up, and
// lets in the methods left out for want of it.
func (w *describer) lookable(fold string) {
	if w.collect {
		w.ifaceNames = append(w.ifaceNames, fold)
		return
	}
	if w.names == nil || w.names[fold] {
		return
	}
	if w.added != nil {
		w.added[fold] = true
	}
	if w.moreNames[fold] {
		return
	}
	w.moreNames[fold] = true
	w.ready = append(w.ready, w.waiting[fold]...)
	delete(w.waiting, fold)
}

// method describes m now if its name can be looked up, else keeps it until the name is
// (lookable).
func (w *describer) method(dm deferredMethod) {
	if w.described[dm.methodKey] {
		return
	}
	if w.names != nil && !w.names[dm.fold] && !w.moreNames[dm.fold] {
		if w.waiting == nil {
			w.waiting = map[string][]deferredMethod{}
		}
		w.waiting[dm.fold] = append(w.waiting[dm.fold], dm)
		return
	}
	if w.described == nil {
		w.described = map[methodKey]bool{}
	}
	w.described[dm.methodKey] = true
	w.use(w.sums.method(w.fset, dm))
}

// Unexported methods of another package's types matter to an importer only through an interface
// with unexported methods, and only the methods of the interface's package: an unexported
// method's name belongs to its package, so a type has such an interface's methods only if they
// are declared in that package (on its own type or one it embeds). os.File's unexported methods
// differ per GOOS, and testing.TB has one (private): a test describing both needs testing's
// methods, not os's; and of those, only the names such an interface has (go-cmp's Option has
// filter: its state type's many unexported methods do not matter). So they are kept by package
// and name (folded, as a missing method is looked up for go/types' message), and described for
// the interfaces' unexported methods described.
type hiddenMethods struct {
	text  map[string]*strings.Builder // hiddenKey -> the types' methods of that name, in order
	needs map[string]bool             // hiddenKey: the interfaces' unexported methods
}

// hiddenKey names an unexported method across types: its package path and folded name.
func hiddenKey(m *types.Func) string {
	return m.Pkg().Path() + " " + foldName(m.Name())
}

func (h *hiddenMethods) method(key string) *strings.Builder {
	if h.text == nil {
		h.text = map[string]*strings.Builder{}
	}
	b := h.text[key]
	if b == nil {
		b = &strings.Builder{}
		h.text[key] = b
	}
	return b
}

func (h *hiddenMethods) need(key string) {
	if h.needs == nil {
		h.needs = map[string]bool{}
	}
	h.needs[key] = true
}

// hiddenText is what the summaries a print used (hiddenFrom) have of the unexported methods
// named by key, sorted.
func (w *describer) hiddenText(key string) string {
	var blocks []string
	for _, h := range w.hiddenFrom {
		if t := h.text[key]; t != nil {
			blocks = append(blocks, t.String())
		}
	}
	sort.Strings(blocks) // in the order of the definitions: any
	return strings.Join(blocks, "")
}

// queued is a named type's definition to describe: in a view, with another package's
// unexported fields described as f says (what its summary's references inherit).
type queued struct {
	n *types.Named
	v view
	f fieldsMode
}

func (w *describer) printf(format string, args ...any) {
	fmt.Fprintf(w.h, format, args...)
}

func (w *describer) object(obj types.Object) {
	switch o := obj.(type) {
	case nil:
		w.printf("missing\n")
		return
	case *types.Const:
		w.printf("const %s ", o.Val().ExactString())
	case *types.Var:
		w.printf("var ")
	case *types.Func:
		w.printf("func ")
	case *types.TypeName:
		if o.IsAlias() {
			w.printf("alias ")
		} else {
			w.printf("type ")
		}
	case *types.Builtin:
		w.printf("builtin %s\n", o.Name())
		return
	default:
		w.printf("%T %s\n", obj, obj.Name())
		return
	}
	w.typ(obj.Type(), seenFull)
	w.fact(obj)
	w.printf("\n")
}

func (w *describer) fact(obj types.Object) {
	if w.collect {
		w.factObjs = append(w.factObjs, obj)
		return
	}
	if w.facts != nil {
		if f := w.facts.of(obj); f != "" {
			w.printf(" facts{%s}", f)
		}
	}
}

// ref names a named type: its package and name, and its position when it is not declared at
// package level (local types may share names).
func (w *describer) ref(obj *types.TypeName) {
	if obj.Pkg() == nil { // the universe's error and comparable
		w.printf("%s", obj.Name())
		return
	}
	path := obj.Pkg().Path()
	if obj.Parent() == obj.Pkg().Scope() {
		w.printf("%s.%s", path, obj.Name())
		return
	}
	pos := w.fset.Position(obj.Pos())
	w.printf("%s.%s@%s:%d:%d", path, obj.Name(), pos.Filename, pos.Line, pos.Column)
}

func (w *describer) typ(t types.Type, v view) {
	under := v // the view of what t holds behind a pointer, slice, map, channel, func or interface
	if v != seenFull {
		under = seenRef
	}
	switch t := t.(type) {
	case nil:
		w.printf("nil")
	case *types.Basic:
		w.printf("%s", t.Name())
	case *types.Alias:
		w.typ(types.Unalias(t), v)
	case *types.Named:
		// Seen in full, a named type is its origin's definition with type arguments; seen by
		// value only, an instance is defined by its own (substituted) fields, since a type
		// argument may sit behind a pointer there.
		def := t.Origin()
		if v == seenValue {
			def = t
		}
		if v == seenPromote && t.TypeArgs().Len() > 0 {
			v = seenFull // its members' types depend on its type arguments: all of it
		}
		w.ref(t.Origin().Obj())
		w.need(queued{def, v, w.fields})
		if args := t.TypeArgs(); args.Len() > 0 {
			argv := v
			if v == seenValue {
				argv = seenRef
			}
			w.printf("[")
			for i := range args.Len() {
				w.typ(args.At(i), argv)
				w.printf(",")
			}
			w.printf("]")
		}
	case *types.TypeParam:
		w.printf("P%d.%s", t.Index(), t.Obj().Name())
	case *types.Pointer:
		w.printf("*")
		w.typ(t.Elem(), under)
	case *types.Slice:
		w.printf("[]")
		w.typ(t.Elem(), under)
	case *types.Array:
		w.printf("[%d]", t.Len())
		w.typ(t.Elem(), v)
	case *types.Map:
		w.printf("map[")
		w.typ(t.Key(), under)
		w.printf("]")
		w.typ(t.Elem(), under)
	case *types.Chan:
		w.printf("chan%d ", t.Dir())
		w.typ(t.Elem(), under)
	case *types.Struct:
		w.printf("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			w.printf("%s %t %q ", f.Name(), f.Embedded(), t.Tag(i))
			fv := v
			if f.Exported() && !f.Embedded() && v == seenFull && !strictPrints() &&
				(w.fields == fieldsCompared || w.fields == fieldsLocks) {
				w.typ(f.Type(), seenRef)
				w.printf(" comparable %t", types.Comparable(f.Type()))
				if w.fields == fieldsLocks {
					w.printf(" locks %q", lockPath(f.Type(), map[types.Type]bool{}))
				}
				w.printf(" lazy;")
				w.lazy(lazyField{fieldKey(f), namedIn(f.Type(), w.fields)})
				continue
			}
			if !f.Exported() && f.Pkg() != nil {
				w.printf("in %s ", f.Pkg().Path())
				if !f.Embedded() && v == seenFull {
					switch w.fields {
					case fieldsCompared:
						w.typ(f.Type(), seenRef)
						w.printf(" comparable %t;", types.Comparable(f.Type()))
						continue
					case fieldsLocks:
						w.typ(f.Type(), seenRef)
						w.printf(" comparable %t locks %q;", types.Comparable(f.Type()),
							lockPath(f.Type(), map[types.Type]bool{}))
						continue
					case fieldsValue:
						fv = seenValue
					}
				}
				if ptr, ok := types.Unalias(f.Type()).(*types.Pointer); ok && f.Embedded() &&
					v == seenFull {
					w.printf("*")
					w.typ(ptr.Elem(), seenPromote)
					w.printf(";")
					continue
				}
			}
			w.typ(f.Type(), fv)
			if fv == seenFull {
				w.fact(f)
			}
			w.printf(";")
		}
		w.printf("}")
	case *types.Tuple:
		w.printf("(")
		for i := range t.Len() {
			w.typ(t.At(i).Type(), v)
			w.printf(",")
		}
		w.printf(")")
	case *types.Signature:
		w.printf("func")
		w.tparams(t.TypeParams(), under)
		w.typ(t.Params(), under)
		if t.Variadic() {
			w.printf("...")
		}
		w.typ(t.Results(), under)
	case *types.Interface:
		w.printf("interface{")
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			w.lookable(foldName(m.Name()))
			w.printf("%s ", m.Name())
			if !m.Exported() && m.Pkg() != nil {
				w.printf("in %s ", m.Pkg().Path())
				w.hidden.need(hiddenKey(m))
			}
			w.typ(m.Type(), under)
			if under == seenFull {
				w.fact(m)
			}
			w.printf(";")
		}
		for i := range t.NumEmbeddeds() {
			w.printf("embed ")
			w.typ(t.EmbeddedType(i), under)
			w.printf(";")
		}
		w.printf("}")
	case *types.Union:
		for i := range t.Len() {
			term := t.Term(i)
			w.printf("|%t ", term.Tilde())
			w.typ(term.Type(), v)
		}
	default:
		w.printf("?%T %s", t, t)
	}
}

func (w *describer) tparams(list *types.TypeParamList, v view) {
	if list.Len() == 0 {
		return
	}
	w.printf("[")
	for i := range list.Len() {
		w.printf("%s ", list.At(i).Obj().Name())
		w.typ(list.At(i).Constraint(), v)
		w.printf(",")
	}
	w.printf("]")
}

// flush defines every named type referenced, and those their definitions reference.
func (w *describer) flush() {
	for {
		for len(w.queue) > 0 {
			q := w.queue[0]
			w.queue = w.queue[1:]
			w.use(w.sums.get(w.fset, q))
		}
		// An interface described since may name a method left out: describe those, and
		// what their signatures refer to, until nothing more is described.
		if len(w.ready) == 0 {
			return
		}
		ready := w.ready
		w.ready = nil
		for _, dm := range ready {
			w.method(dm)
		}
	}
}

// use adds a summary to the print: its digest, the facts it shows, what it refers to.
func (w *describer) use(d *defSummary) {
	def := d.digest
	if w.facts != nil && len(d.factObjs) > 0 {
		h := sha256.New()
		h.Write(d.digest[:])
		for _, obj := range d.factObjs {
			if f := w.facts.of(obj); f != "" {
				fmt.Fprintf(h, " facts{%s}", f)
			}
		}
		copy(def[:], h.Sum(nil))
	}
	w.defs = append(w.defs, def)
	if len(d.hidden.text) > 0 {
		w.hiddenFrom = append(w.hiddenFrom, &d.hidden)
	}
	for key := range d.hidden.needs {
		w.hidden.need(key)
	}
	for _, name := range d.ifaceNames {
		w.lookable(name)
	}
	for _, r := range d.refs {
		w.need(r)
	}
	for _, l := range d.lazies {
		w.lazy(l)
	}
	for _, dm := range d.methods {
		w.method(dm)
	}
}

// defSummary is one named type's definition in one view, described once per run: its digest,
// the named types it refers to (to define next), and the objects whose facts it shows.
type defSummary struct {
	digest   [sha256.Size]byte
	refs     []queued
	factObjs []types.Object
	hidden   hiddenMethods
	lazies   []lazyField      // its exported fields described by reference (describer.lazy)
	methods  []deferredMethod // its exported methods (describer.method)
	// The methods of the interfaces it describes, folded (describer.lookable).
	ifaceNames []string
}

// summaries are a run's defSummaries, by package and summaryKey.
type summaries struct {
	pkgs sync.Map // *types.Package -> *pkgSummaries
}

// pkgSummaries are what a run's prints summarized of one package.
type pkgSummaries struct {
	defs sync.Map // queued or methodKey -> *defSummary, its named types and their methods
	// Digests (closure.go), under mu: a named type's (an origin's) closure, a package-level
	// object's (objectClosure).
	mu       sync.Mutex
	closures map[*types.Named][sha256.Size]byte
	objects  map[string][sha256.Size]byte
	exported []string // its exported package-level names, sorted (once computed)
	once     sync.Once
}

func (s *summaries) of(pkg *types.Package) *pkgSummaries {
	if v, ok := s.pkgs.Load(pkg); ok {
		return v.(*pkgSummaries)
	}
	// A released package that a live importer's types still reach: summarized for this
	// print only, since summaries held here would keep its types.
	return &pkgSummaries{}
}

// add makes room for pkg's summaries: its entry is checked, and importers may describe it.
func (s *summaries) add(pkg *types.Package) {
	s.pkgs.LoadOrStore(pkg, &pkgSummaries{})
}

// drop forgets pkg's summaries (its types are released).
func (s *summaries) drop(pkg *types.Package) {
	s.pkgs.Delete(pkg)
}

// exportedNames are pkg's exported package-level names, sorted (a package's whole API is
// described for each of its importers on each target).
func (s *summaries) exportedNames(pkg *types.Package) []string {
	ps := s.of(pkg)
	ps.once.Do(func() {
		ps.exported = []string{}
		for _, name := range pkg.Scope().Names() { // sorted
			if token.IsExported(name) {
				ps.exported = append(ps.exported, name)
			}
		}
	})
	return ps.exported
}

func (s *summaries) get(fset *token.FileSet, q queued) *defSummary {
	ps := s.of(q.n.Obj().Pkg())
	if d, ok := ps.defs.Load(q); ok {
		return d.(*defSummary)
	}
	actual, _ := ps.defs.LoadOrStore(q, summarize(fset, q))
	return actual.(*defSummary)
}

// summarize describes q's definition (get keeps it; closures do not).
func summarize(fset *token.FileSet, q queued) *defSummary {
	w := &describer{h: sha256.New(), fset: fset, named: map[queued]bool{}, collect: true,
		fields: q.f}
	w.define(q.n, q.v)
	d := &defSummary{refs: w.queue, factObjs: w.factObjs, hidden: w.hidden, lazies: w.lazies,
		methods: w.methods, ifaceNames: w.ifaceNames}
	copy(d.digest[:], w.h.Sum(nil))
	return d
}

// method is the summary of an exported method (its owner's deferredMethod): its name,
// receiver and signature, and its facts.
func (s *summaries) method(fset *token.FileSet, dm deferredMethod) *defSummary {
	ps := s.of(dm.m.Pkg())
	if d, ok := ps.defs.Load(dm.methodKey); ok {
		return d.(*defSummary)
	}
	actual, _ := ps.defs.LoadOrStore(dm.methodKey, summarizeMethod(fset, dm))
	return actual.(*defSummary)
}

// summarizeMethod describes an exported method (method keeps it; closures do not).
func summarizeMethod(fset *token.FileSet, dm deferredMethod) *defSummary {
	w := &describer{h: sha256.New(), fset: fset, named: map[queued]bool{}, collect: true,
		fields: dm.f}
	w.printf("method %s %s %t ", dm.owner, dm.m.Name(), dm.ptr)
	w.typ(dm.m.Type(), seenFull)
	w.fact(dm.m)
	d := &defSummary{refs: w.queue, factObjs: w.factObjs, hidden: w.hidden, lazies: w.lazies,
		ifaceNames: w.ifaceNames}
	copy(d.digest[:], w.h.Sum(nil))
	return d
}

// lazy defines what a lazily described field's type refers to if the package selects it; a
// summary keeps it for the prints that use the summary.
func (w *describer) lazy(l lazyField) {
	if w.collect {
		w.lazies = append(w.lazies, l)
		return
	}
	if w.selected[l.key] {
		for _, r := range l.refs {
			w.need(r)
		}
	}
}

// need queues the definition of q.n in view q.v, unless it is queued in that view or in full.
// A type the package may format is described with its unexported fields in full.
func (w *describer) need(q queued) {
	if q.v == seenRef {
		return
	}
	if q.f != fieldsFull && w.formatted != nil && w.formatted[typeKey(q.n)] {
		q.f = fieldsFull
	}
	if q.f < fieldsValue && w.sized != nil && w.sized[typeKey(q.n)] {
		q.f = fieldsValue
	}
	if w.named[q] || w.named[queued{q.n, seenFull, q.f}] {
		return
	}
	w.named[q] = true
	w.queue = append(w.queue, q)
}

// promoted describes, in the promote view, what a struct behind an unexported embedded pointer
// promotes: its exported fields in full, its unexported embedded fields in the promote view
// (pointer or not: the whole is behind a pointer), and not its other unexported fields.
func (w *describer) promoted(st *types.Struct) {
	w.printf("struct{")
	for i := range st.NumFields() {
		f := st.Field(i)
		switch {
		case f.Exported():
			w.printf("%s %t %q ", f.Name(), f.Embedded(), st.Tag(i))
			w.typ(f.Type(), seenFull)
			w.fact(f)
		case f.Embedded():
			w.printf("%s in %s ", f.Name(), f.Pkg().Path())
			t := types.Unalias(f.Type())
			if ptr, ok := t.(*types.Pointer); ok {
				w.printf("*")
				t = ptr.Elem()
			}
			w.typ(t, seenPromote)
		default:
			continue
		}
		w.printf(";")
	}
	w.printf("}")
}

// define writes the definition of n in view v, queueing the named types it refers to.
func (w *describer) define(n *types.Named, v view) {
	under := seenRef // what its methods' signatures show
	if v == seenFull || v == seenPromote {
		under = seenFull
	}
	w.printf("define %d ", v)
	w.ref(n.Obj())
	if v == seenFull {
		w.tparams(n.TypeParams(), v)
	} else if args := n.TypeArgs(); args.Len() > 0 {
		w.printf("[")
		for i := range args.Len() {
			w.typ(args.At(i), seenRef)
			w.printf(",")
		}
		w.printf("]")
	}
	w.printf(" = ")
	if st, ok := n.Underlying().(*types.Struct); ok && v == seenPromote {
		w.promoted(st)
	} else if v == seenPromote {
		w.typ(n.Underlying(), seenFull) // not a struct: nothing unexported to leave out
	} else {
		w.typ(n.Underlying(), v)
	}
	for i := range n.NumMethods() {
		m := n.Method(i)
		sig := m.Type().(*types.Signature)
		ptr := false
		if recv := sig.Recv(); recv != nil {
			_, ptr = recv.Type().(*types.Pointer)
		}
		if v != seenFull && v != seenPromote && m.Name() != "Lock" && m.Name() != "Unlock" {
			continue // held by value, only a lock matters (vet's copylock)
		}
		if !m.Exported() && m.Pkg() != nil {
			b := w.hidden.method(hiddenKey(m))
			fmt.Fprintf(b, "%s %s %t ", n.Obj().Name(), m.Name(), ptr)
			b.WriteString(types.TypeString(sig, nil))
			b.WriteString("\n")
			continue
		}
		if v == seenFull || v == seenPromote {
			w.methods = append(w.methods, deferredMethod{methodKey: methodKey{m, w.fields},
				fold: foldName(m.Name()), owner: typeKey(n), ptr: ptr})
			continue
		}
		w.printf("\n  method %s %t ", m.Name(), ptr)
		w.typ(sig, under)
	}
	w.printf("\n")
}
