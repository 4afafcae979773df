// What declarations-only packages (the standard library) can drop without changing what their
// importers see: function bodies and composite literal elements when parsed, declarations no
// exported one reaches when checked; and what vet's fact-producing analyzers need not see of a
// dependency module's package (thinned).

package main

import (
	"go/ast"
	"go/token"
	"slices"
	"strconv"
)

// pruneDecls keeps, of a declarations-only package, what an importer can reach: the
// declarations of exported names, and what those name, transitively (by identifier: a
// superset), with the exported methods of every kept type and its unexported methods whose
// name a kept declaration names (an interface of the package with an unexported method, such
// as testing.TB's: method sets decide interface satisfaction). Importers see a package only
// through its exported objects; an unexported declaration reaches them only through a kept
// one's type, value or signature (function bodies are not checked in this mode). A const
// block is kept or dropped whole (iota and implicit repetition depend on its specs' order);
// type and var specs one by one. This is about what gc's export data holds, so an importer's
// errors read as the compiler's (stubOf). Most of a large package's declarations are its own
// business: the runtime's, syscall's and net's unexported types and tables. The shared ASTs
// are not modified: pruned files and declarations are shallow copies.
func pruneDecls(files []*ast.File) []*ast.File {
	return applyPrune(files, planPrune(files))
}

// prunePlan is what pruneDecls keeps of each file: the same for every parse of the same files
// (fileCache.pruned keeps it per file set: a package's files are the same on many targets
// whose keys differ by what they import).
type prunePlan [][]pruneAction

// pruneAction is one declaration kept: whole (spec < 0) or one of its specs, or a dropped
// method's stub.
type pruneAction struct {
	decl, spec int32
	stub       bool
}

// planPrune decides what pruneDecls keeps of files.
func planPrune(files []*ast.File) prunePlan {
	units := make([][]declUnit, len(files))
	for i, f := range files {
		units[i] = unitsOf(f)
	}
	return planUnits(units, keptUnits(units))
}

// planUnits is the plan that keeps units as kept (keptUnits) says.
func planUnits(units [][]declUnit, kept [][]bool) prunePlan {
	// A dropped method of a kept type is a stub: the receivers of dropped methods, true if
	// a kept unit declares them.
	keptRecv := map[string]bool{}
	for i := range units {
		for j, u := range units[i] {
			if !kept[i][j] && u.recv != "" {
				keptRecv[u.recv] = false
			}
		}
	}
	for i := range units {
		for j, u := range units[i] {
			if kept[i][j] {
				for _, n := range u.names {
					if _, ok := keptRecv[n]; ok {
						keptRecv[n] = true
					}
				}
			}
		}
	}
	plan := make(prunePlan, len(units))
	for i := range units {
		for j, u := range units[i] {
			switch {
			case kept[i][j]:
				plan[i] = append(plan[i], pruneAction{decl: int32(u.decl), spec: int32(u.spec)})
			case u.recv != "" && keptRecv[u.recv]:
				plan[i] = append(plan[i], pruneAction{decl: int32(u.decl), spec: -1, stub: true})
			}
		}
	}
	return plan
}

// applyPrune keeps of files what plan (planPrune's, for the same files) says.
func applyPrune(files []*ast.File, plan prunePlan) []*ast.File {
	out := make([]*ast.File, len(files))
	for i, f := range files {
		// Each declaration as kept (whole, or some of its specs), or a method's stub.
		decls := make([][]ast.Spec, len(f.Decls))
		stubs := make([]ast.Decl, len(f.Decls))
		whole := make([]bool, len(f.Decls))
		for _, a := range plan[i] {
			switch {
			case f.Decls[a.decl] == nil: // thinned, and its file not read again (parseAgain)
			case a.stub:
				stubs[a.decl] = stubOf(f.Decls[a.decl].(*ast.FuncDecl))
			case a.spec < 0:
				whole[a.decl] = true
			default:
				decls[a.decl] = append(decls[a.decl], f.Decls[a.decl].(*ast.GenDecl).Specs[a.spec])
			}
		}
		keep := make([]ast.Decl, 0, len(f.Decls))
		for d, decl := range f.Decls {
			switch {
			case whole[d] || isImport(decl):
				keep = append(keep, decl)
			case stubs[d] != nil:
				keep = append(keep, stubs[d])
			case len(decls[d]) > 0:
				gd := *decl.(*ast.GenDecl)
				gd.Specs = decls[d]
				keep = append(keep, &gd)
			}
		}
		copied := *f
		copied.Decls = keep
		out[i] = &copied
	}
	return out
}

// stubOf is a dropped method's stub, `func (t T) m()`: it names nothing, and an importer that
// calls it (code that does not compile) gets the compiler's "cannot refer to unexported method
// m", since export data has every method of a type it has. A dropped package-level
// declaration leaves nothing: export data has only what the exported API reaches, so the
// compiler says "undefined: p.name" for the others, as go/types then does.
func stubOf(decl *ast.FuncDecl) ast.Decl {
	return &ast.FuncDecl{Recv: decl.Recv, Name: decl.Name,
		Type: &ast.FuncType{Func: decl.Type.Func, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{Lbrace: decl.Type.End(), Rbrace: decl.Type.End()}}
}

func isImport(d ast.Decl) bool {
	gd, ok := d.(*ast.GenDecl)
	return ok && gd.Tok == token.IMPORT
}

// declUnit is one declaration pruneDecls keeps or drops: a function or method, a const block,
// or a type or var spec.
type declUnit struct {
	decl, spec int      // its index in the file's Decls, and in the GenDecl's Specs (-1: whole)
	names      []string // the package-level names it declares (not "_")
	recv       string   // a method's receiver base type
	method     string   // a method's name
	root       bool     // it declares an exported name (a plain function or a spec)
	idents     []string // every identifier in it: what it may refer to
	quals      []string // identifiers used as a selector's X: the imports it may name
}

// unitsOf are a file's declarations as units (imports are not units).
func unitsOf(f *ast.File) []declUnit {
	var out []declUnit
	for d, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			u := declUnit{decl: d, spec: -1}
			if decl.Recv != nil {
				u.recv, u.method = recvBase(decl.Recv), decl.Name.Name
				u.read(decl.Recv)
			} else if decl.Name.Name != "init" && decl.Name.Name != "_" {
				u.names, u.root = []string{decl.Name.Name}, decl.Name.IsExported()
			}
			u.read(decl.Type)
			out = append(out, u)
		case *ast.GenDecl:
			switch decl.Tok {
			case token.CONST:
				u := declUnit{decl: d, spec: -1}
				for _, spec := range decl.Specs {
					u.declare(spec.(*ast.ValueSpec).Names)
					u.read(spec)
				}
				out = append(out, u)
			case token.VAR:
				for i, spec := range decl.Specs {
					u := declUnit{decl: d, spec: i}
					u.declare(spec.(*ast.ValueSpec).Names)
					u.read(spec)
					out = append(out, u)
				}
			case token.TYPE:
				for i, spec := range decl.Specs {
					ts := spec.(*ast.TypeSpec)
					u := declUnit{decl: d, spec: i}
					u.declare([]*ast.Ident{ts.Name})
					u.read(ts)
					out = append(out, u)
				}
			}
		}
	}
	return out
}

func (u *declUnit) declare(names []*ast.Ident) {
	for _, n := range names {
		if n.Name != "_" {
			u.names = append(u.names, n.Name)
			u.root = u.root || n.IsExported()
		}
	}
}

// read adds the identifiers in n (a function's body is not read: it is not checked).
func (u *declUnit) read(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			u.idents = append(u.idents, n.Name)
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				u.quals = append(u.quals, id.Name)
			}
		case *ast.BlockStmt:
			return false
		}
		return true
	})
}

// recvBase is a method receiver's base type name: T in (t *T[K]).
func recvBase(recv *ast.FieldList) string {
	if len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// keptUnits says which units of a package's files pruneDecls keeps: the roots, every unit
// declaring a name a kept unit reads, and the methods of a kept type that are exported or whose
// name a kept unit reads.
func keptUnits(files [][]declUnit) [][]bool {
	// Units by flat index (the offset of its file + its index there). A package's units are
	// looked up by name for every identifier a kept one reads: a name maps to the unit
	// declaring it and a type's methods are linked through next, rather than each holding a
	// slice.
	offsets, total, names := make([]int32, len(files)), 0, 0
	for i, units := range files {
		offsets[i] = int32(total)
		total += len(units)
		for _, u := range units {
			names += len(u.names)
		}
	}
	unit := func(x int32) *declUnit {
		i, _ := slices.BinarySearch(offsets, x+1)
		return &files[i-1][x-offsets[i-1]]
	}
	flat := make([]bool, total)
	byName := make(map[string]int32, names) // the unit declaring it
	byRecv := map[string]int32{}            // the last method of the type, linked by next
	next := make([]int32, total)
	var queue []int32
	var more map[string][]int32 // a name's second declaration (code that does not compile)
	for i, units := range files {
		for j := range units {
			u, x := &units[j], offsets[i]+int32(j)
			for _, n := range u.names {
				if _, dup := byName[n]; !dup {
					byName[n] = x
				} else {
					if more == nil {
						more = map[string][]int32{}
					}
					more[n] = append(more[n], x)
				}
			}
			if u.recv != "" {
				if h, ok := byRecv[u.recv]; ok {
					next[x] = h
				} else {
					next[x] = -1
				}
				byRecv[u.recv] = x
			}
			if u.root {
				flat[x] = true
				queue = append(queue, x)
			}
		}
	}
	keep := func(x int32) {
		if !flat[x] {
			flat[x] = true
			queue = append(queue, x)
		}
	}
	read := make(map[string]struct{}, names) // identifiers kept units read
	// unexported methods of kept types, by name, not read yet
	waiting := map[string][]int32{}
	for len(queue) > 0 {
		x := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		u := unit(x)
		for _, n := range u.names {
			h, ok := byRecv[n]
			for ; ok && h >= 0; h = next[h] {
				name := unit(h).method
				if _, r := read[name]; r || token.IsExported(name) {
					keep(h)
				} else {
					waiting[name] = append(waiting[name], h)
				}
			}
		}
		for _, id := range u.idents {
			if _, r := read[id]; r {
				continue
			}
			read[id] = struct{}{}
			if d, ok := byName[id]; ok {
				keep(d)
			}
			for _, d := range more[id] {
				keep(d)
			}
			if ms, ok := waiting[id]; ok {
				for _, m := range ms {
					keep(m)
				}
				delete(waiting, id)
			}
		}
	}
	kept := make([][]bool, len(files))
	for i, units := range files {
		kept[i] = flat[offsets[i] : int(offsets[i])+len(units) : int(offsets[i])+len(units)]
	}
	return kept
}

// stripBodies empties function bodies: go/types skips them with IgnoreFuncBodies, and an
// empty (not nil) body keeps "missing function body" errors away.
func stripBodies(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil {
				d.Body = &ast.BlockStmt{Lbrace: d.Body.Lbrace, Rbrace: d.Body.Rbrace}
			}
		case *ast.GenDecl:
			if d.Tok == token.VAR {
				for _, spec := range d.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						stripElements(v)
					}
				}
			}
		}
	}
}

// stripElements empties the composite literals in a package-level var initializer: the type of
// T{...} is T whatever its elements, and importers see only the var's type. Tables such as
// unicode's were most of the cost of checking the standard library's declarations. An array
// written [...]T{...} gets its length from its elements: without keys, it becomes [n]T{} (the
// same type; crypto/internal/fips140/nistec's 88,000-byte table cost more to check than the
// rest of that package); with keys, it keeps its elements.
func stripElements(expr ast.Expr) {
	ast.Inspect(expr, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if at, ok := lit.Type.(*ast.ArrayType); ok {
			if _, ellipsis := at.Len.(*ast.Ellipsis); ellipsis {
				for _, elt := range lit.Elts {
					if _, keyed := elt.(*ast.KeyValueExpr); keyed {
						return true
					}
				}
				lit.Type = &ast.ArrayType{Lbrack: at.Lbrack, Elt: at.Elt,
					Len: &ast.BasicLit{ValuePos: at.Len.Pos(), Kind: token.INT,
						Value: strconv.Itoa(len(lit.Elts))}}
			}
		}
		lit.Elts = nil
		return false
	})
}

// thinned is a dependency's files as vet's fact-producing analyzers see them: without the
// function bodies no fact can come from, which would only cost analyzer time (the package is
// type-checked with all of them, for its errors). The shared ASTs are not modified: a file with
// a dropped body is a shallow copy. vet's fact-producing analyzers are printf (a function,
// method, or func literal assigned to a var or field, that forwards a final variadic parameter
// to a print function) and ctrlflow (a function that never returns). A body is kept when:
//   - the function's last parameter is variadic (a printf wrapper candidate), or the body holds
//     a func literal whose last parameter is (it may be assigned to a var or field);
//   - it has no return statement and its last statement may not fall through (a call, a loop,
//     select, goto, or a statement holding those): it may never return;
//   - it is generic or init.
//
// A function that has a return statement never returns only when the return is dead code
// after a call that never returns; such a body is dropped (docs/typecheck.md).
func thinned(files []*ast.File) []*ast.File {
	out := make([]*ast.File, len(files))
	for i, f := range files {
		out[i] = f
		var decls []ast.Decl
		for j, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || keepBody(fd) {
				continue
			}
			if decls == nil {
				decls = append([]ast.Decl{}, f.Decls...)
			}
			bodiless := *fd
			bodiless.Body = nil
			decls[j] = &bodiless
		}
		if decls != nil {
			copied := *f
			copied.Decls = decls
			out[i] = &copied
		}
	}
	return out
}

func keepBody(fd *ast.FuncDecl) bool {
	if fd.Type.TypeParams != nil || (fd.Recv == nil && fd.Name.Name == "init") ||
		variadic(fd.Type) {
		return true
	}
	wrapperLit := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && variadic(lit.Type) {
			wrapperLit = true
		}
		return !wrapperLit
	})
	if wrapperLit {
		return true
	}
	returns := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns = true
		}
		return !returns
	})
	if returns || len(fd.Body.List) == 0 {
		return false
	}
	switch fd.Body.List[len(fd.Body.List)-1].(type) {
	case *ast.AssignStmt, *ast.IncDecStmt, *ast.DeclStmt, *ast.DeferStmt, *ast.GoStmt,
		*ast.SendStmt, *ast.EmptyStmt:
		return false
	}
	return true
}

func variadic(ft *ast.FuncType) bool {
	if ft.Params == nil || len(ft.Params.List) == 0 {
		return false
	}
	_, ok := ft.Params.List[len(ft.Params.List)-1].Type.(*ast.Ellipsis)
	return ok
}
