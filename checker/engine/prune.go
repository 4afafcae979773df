package main

import (
	"go/ast"
	"go/token"
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
