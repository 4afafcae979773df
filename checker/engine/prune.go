// What declarations-only packages (the standard library) can drop without changing what their
// importers see: function bodies and composite literal elements when parsed, unexported plain
// functions when checked; and what vet's fact-producing analyzers need not see of a dependency
// module's package (thinned).

package main

import (
	"go/ast"
	"go/token"
	"strconv"
)

// pruneDecls drops, from a declarations-only package, the functions no importer can see:
// plain (non-method) functions with unexported names that no package-level var or const
// initializer mentions. Importers see a package only through its exported objects; an
// unexported function can reach them only as the initializer of a var whose type is
// inferred (constants cannot call functions, and function bodies are not checked in this
// mode). Methods are kept (method sets decide interface satisfaction), and so are all types,
// vars and consts. The shared ASTs are not modified: pruned files are shallow copies.
func pruneDecls(files []*ast.File) []*ast.File {
	used := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || (gd.Tok != token.VAR && gd.Tok != token.CONST) {
				continue
			}
			for _, spec := range gd.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					ast.Inspect(v, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok {
							used[id.Name] = true
						}
						return true
					})
				}
			}
		}
	}
	out := make([]*ast.File, len(files))
	for i, f := range files {
		keep := make([]ast.Decl, 0, len(f.Decls))
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && !fd.Name.IsExported() &&
				!used[fd.Name.Name] {
				continue
			}
			keep = append(keep, d)
		}
		copied := *f
		copied.Decls = keep
		out[i] = &copied
	}
	return out
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
