// Closures: everything a named type reaches, in the view that shows the most, as one digest.
// A print's part (printparts.go) describes a subset of what its roots reach, chosen by the
// observing package; when the roots reach equal closures on two targets, their parts are
// equal whatever the imports' sharing keys: go/ast's key differs per GOARCH (ast.FieldFilter
// names reflect.Value, whose declarations name internal/abi's per-GOARCH constants), but what a
// package uses of go/ast reaches none of them.

package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/token"
	"go/types"
	"sort"
)

// maxView is how a closure describes a named type: its definition in full with every field in
// full, every method (exported ones by their summaries, the others by name and signature: the
// hidden text). What any print describes of the type (another view, fewer fields, the methods
// whose names can be looked up, lazily described fields) is a function of that and of what it
// reaches.
func maxView(n *types.Named) queued { return queued{n.Origin(), seenFull, fieldsFull} }

// closure is the digest of n's definition in maxView and of every named type it reaches (by
// its fields, methods, type arguments or whatever its definition names), computed once per
// type and run while n's package is held (summaries): equal digests, equal descriptions in any
// print. Types that reach each other are digested together (one strongly connected component
// of the graph of references: each member's content, and the closures of what they reach
// outside it), so the digest does not depend on where a walk starts.
func (s *summaries) closure(fset *token.FileSet, n *types.Named) [sha256.Size]byte {
	n = n.Origin()
	if d, ok := s.of(n.Obj().Pkg()).closureOf(n); ok {
		return d
	}
	c := &closureWalk{fset: fset, sums: s, index: map[*types.Named]int{},
		low: map[*types.Named]int{}, onStack: map[*types.Named]bool{},
		content: map[*types.Named][sha256.Size]byte{}, succ: map[*types.Named][]*types.Named{},
		done: map[*types.Named][sha256.Size]byte{}}
	c.visit(n)
	return c.done[n]
}

// closureOf is n's closure if computed.
func (ps *pkgSummaries) closureOf(n *types.Named) ([sha256.Size]byte, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	d, ok := ps.closures[n]
	return d, ok
}

// closureWalk is Tarjan's walk over the named types a closure reaches.
type closureWalk struct {
	fset       *token.FileSet
	sums       *summaries
	index, low map[*types.Named]int
	onStack    map[*types.Named]bool
	stack      []*types.Named
	next       int
	content    map[*types.Named][sha256.Size]byte // a type's own definition and methods
	succ       map[*types.Named][]*types.Named    // the named types (origins) it names
	done       map[*types.Named][sha256.Size]byte // closures computed by this walk
}

// known is the closure of n if this walk or an earlier one computed it.
func (c *closureWalk) known(n *types.Named) ([sha256.Size]byte, bool) {
	if d, ok := c.done[n]; ok {
		return d, true
	}
	if d, ok := c.sums.of(n.Obj().Pkg()).closureOf(n); ok {
		c.done[n] = d
		return d, true
	}
	return [sha256.Size]byte{}, false
}

func (c *closureWalk) visit(n *types.Named) {
	c.index[n], c.low[n] = c.next, c.next
	c.next++
	c.stack = append(c.stack, n)
	c.onStack[n] = true
	c.describe(n)
	for _, m := range c.succ[n] {
		if _, ok := c.known(m); ok {
			continue
		}
		if _, seen := c.index[m]; !seen {
			c.visit(m)
			c.low[n] = min(c.low[n], c.low[m])
		} else if c.onStack[m] {
			c.low[n] = min(c.low[n], c.index[m])
		}
	}
	if c.low[n] != c.index[n] {
		return
	}
	var members []*types.Named
	for {
		m := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		c.onStack[m] = false
		members = append(members, m)
		if m == n {
			break
		}
	}
	inside := map[*types.Named]bool{}
	for _, m := range members {
		inside[m] = true
	}
	var own, outside [][sha256.Size]byte
	for _, m := range members {
		own = append(own, c.content[m])
		for _, s := range c.succ[m] {
			if !inside[s] {
				d, _ := c.known(s)
				outside = append(outside, d)
			}
		}
	}
	h := sha256.New()
	h.Write([]byte("closure\x00"))
	for _, list := range [][][sha256.Size]byte{sortDigests(own), sortDigests(outside)} {
		for _, d := range list {
			h.Write(d[:])
		}
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	for _, m := range members {
		c.done[m] = sum
		ps := c.sums.of(m.Obj().Pkg())
		ps.mu.Lock()
		if ps.closures == nil {
			ps.closures = map[*types.Named][sha256.Size]byte{}
		}
		ps.closures[m] = sum
		ps.mu.Unlock()
	}
}

// describe records n's own content (its definition in maxView, its exported methods' summaries
// and its unexported methods' text) and the named types those name.
func (c *closureWalk) describe(n *types.Named) {
	d := summarize(c.fset, maxView(n)) // not kept: only the closures need it
	h := sha256.New()
	h.Write(d.digest[:])
	var succ []*types.Named
	refs := func(d *defSummary) {
		for _, r := range d.refs {
			succ = append(succ, r.n.Origin())
		}
		for _, l := range d.lazies {
			for _, r := range l.refs {
				succ = append(succ, r.n.Origin())
			}
		}
	}
	refs(d)
	for _, dm := range d.methods {
		md := summarizeMethod(c.fset, dm)
		h.Write(md.digest[:])
		refs(md)
	}
	keys := make([]string, 0, len(d.hidden.text))
	for key := range d.hidden.text {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		h.Write([]byte(key + "\x00" + d.hidden.text[key].String() + "\x00"))
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	c.content[n] = sum
	c.succ[n] = succ
}

func sortDigests(list [][sha256.Size]byte) [][sha256.Size]byte {
	sort.Slice(list, func(i, j int) bool { return bytes.Compare(list[i][:], list[j][:]) < 0 })
	return list
}

// rootsDigest is what a package that observed obs can reach through import src (pkg), in
// maxView: the objects it uses of pkg, its whole API if dot-imported (whole) and the names
// looked up in it, each with its closure (objectClosure). Two targets with equal digests (and
// equal facts) describe the part of src alike in a print of obs, with the same names and needs
// added (printparts.go).
func rootsDigest(fset *token.FileSet, sums *summaries, src string, pkg *types.Package,
	obs observed, whole bool) [sha256.Size]byte {
	h := sha256.New()
	fmt.Fprintf(h, "import %q %q %q\n", src, pkg.Path(), pkg.Name())
	scope := pkg.Scope()
	for _, r := range obs.uses {
		if r.path == pkg.Path() {
			d := sums.objectClosure(fset, pkg, r.name)
			fmt.Fprintf(h, "use %q %x\n", r.name, d)
		}
	}
	if whole {
		for _, name := range sums.exportedNames(pkg) {
			d := sums.objectClosure(fset, pkg, name)
			fmt.Fprintf(h, "whole %q %x\n", name, d)
		}
	}
	for _, name := range obs.lookups {
		if scope.Lookup(name) != nil {
			d := sums.objectClosure(fset, pkg, name)
			fmt.Fprintf(h, "lookup %q %x\n", name, d)
		}
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// objectClosure is the digest of pkg's object name described in full (its kind, a constant's
// value, its type in maxView) with the closures of the named types its type names, once per
// object and run while pkg is held.
func (s *summaries) objectClosure(fset *token.FileSet, pkg *types.Package,
	name string) [sha256.Size]byte {
	ps := s.of(pkg)
	ps.mu.Lock()
	d, ok := ps.objects[name]
	ps.mu.Unlock()
	if ok {
		return d
	}
	w := &describer{h: sha256.New(), fset: fset, named: map[queued]bool{}, collect: true,
		fields: fieldsFull}
	w.object(pkg.Scope().Lookup(name))
	closures := make([][sha256.Size]byte, 0, len(w.queue))
	for _, q := range w.queue {
		closures = append(closures, s.closure(fset, q.n))
	}
	for _, d := range sortDigests(closures) {
		w.h.Write(d[:])
	}
	var sum [sha256.Size]byte
	copy(sum[:], w.h.Sum(nil))
	ps.mu.Lock()
	if ps.objects == nil {
		ps.objects = map[string][sha256.Size]byte{}
	}
	ps.objects[name] = sum
	ps.mu.Unlock()
	return sum
}
