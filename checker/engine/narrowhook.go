// Where the narrowing rule (narrow/) plugs into the engine: its settings from the request,
// and its findings as the engine's Diags. It runs on each main-module package checked in full
// for a 32-bit target (check.go); findings outside the packages asked for are dropped when a
// target's findings are collected (run.go).

package main

import (
	"go/ast"
	"go/token"
	"go/types"

	"crossvet.local/engine/narrow"
)

// narrowConfig is what the request asks of the narrowing rule.
func (r *Request) narrowConfig() narrow.Config {
	return narrow.Config{On: r.Narrowing, All: r.NarrowingLevel == "all",
		Generated: r.NarrowingGenerated}
}

// narrowings are the rule's findings in e, type-checked in full (files and info), as Diags of
// kind "narrowing".
func narrowings(fset *token.FileSet, files []*ast.File, info *types.Info, e *entry,
	nc narrow.Config) []Diag {
	var out []Diag
	for _, f := range narrow.Find(fset, files, info, e.pkg, e.word, nc) {
		out = append(out, Diag{File: f.Pos.Filename, Line: f.Pos.Line, Col: f.Pos.Column,
			Package: e.path, Kind: "narrowing", Expr: f.Expr, From: f.From, To: f.To,
			Message: f.Message})
	}
	return out
}
