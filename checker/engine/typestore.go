// A declarations-only package's types written as bytes and read back (the standard library's
// store, stdstore.go): what go/types made of its declarations, so that a later run gets the same
// *types.Package without parsing or checking its files.
//
// The encoding is a stream of varints and strings. Types are written where first met and
// referred to by number after; a package's own named types and type parameters are created
// as shells where first met and completed after each top-level object (named types: their type
// parameters' constraints, underlying type and methods), constraints and interfaces last, as
// go/types asks of packages built by hand. A type of another package is written as its path
// and name: the reader finds it among the packages the entry's imports reach, which are those
// the writer saw (the store is keyed by the entry's sharing key, which covers its imports').
// What the writer cannot write faithfully (a type parameter outside its list, a local type, a
// constant of unknown value) makes it give up: the entry is checked as before.

package main

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"math/big"
	"sync"
)

const typeStoreVersion = 1

var errUnstorable = errors.New("not storable")

// type tags
const (
	tRef = iota
	tUniverse
	tBasic
	tImported // a package-level type name of another package: path, name
	tNamed    // this package's named type: defined here
	tAlias    // this package's alias: defined here
	tPointer
	tSlice
	tArray
	tMap
	tChan
	tStruct
	tSignature
	tInterface
	tUnion
	tInstance // an instance of a generic type: its origin and type arguments
)

// object tags
const (
	oConst = iota
	oVar
	oFunc
	oTypeName
)

// ---- writing ----

type typeWriter struct {
	fset    *token.FileSet
	pkg     *types.Package
	buf     []byte
	strs    map[string]int
	types   map[types.Type]int
	files   map[*token.File]int
	fileTab []*token.File
	queue   []*types.Named // own named types whose bodies are still to write
}

// encodePackage writes pkg (checked from declarations only) and the positions of its objects
// as fset has them.
func encodePackage(fset *token.FileSet, pkg *types.Package) (data []byte, err error) {
	w := &typeWriter{fset: fset, pkg: pkg, strs: map[string]int{}, types: map[types.Type]int{},
		files: map[*token.File]int{}}
	defer func() {
		if r := recover(); r != nil { // errUnstorable, or what go/types did not expect
			data, err = nil, errUnstorable
		}
	}()
	scope := pkg.Scope()
	names := scope.Names()
	w.uint(len(names))
	for _, name := range names {
		w.object(scope.Lookup(name))
		w.drain()
	}
	imps := pkg.Imports()
	w.uint(len(imps))
	for _, p := range imps {
		w.string(p.Path())
	}
	// the files the positions are in, first in the output
	head := &typeWriter{strs: map[string]int{}}
	head.uint(typeStoreVersion)
	head.string(pkg.Path())
	head.string(pkg.Name())
	head.uint(len(w.fileTab))
	for _, f := range w.fileTab {
		head.string(f.Name())
		head.uint(f.Size())
		lines := f.Lines()
		head.uint(len(lines))
		prev := 0
		for _, l := range lines {
			head.uint(l - prev)
			prev = l
		}
	}
	return append(head.buf, w.buf...), nil
}

func (w *typeWriter) uint(n int) {
	if n < 0 {
		panic(fmt.Sprintf("typestore: negative %d", n))
	}
	w.buf = binary.AppendUvarint(w.buf, uint64(n))
}

func (w *typeWriter) int64(n int64) { w.buf = binary.AppendVarint(w.buf, n) }

func (w *typeWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

func (w *typeWriter) bytes(b []byte) {
	w.uint(len(b))
	w.buf = append(w.buf, b...)
}

// string: a string met before is its number + 1; a new one is 0, then its bytes.
func (w *typeWriter) string(s string) {
	if i, ok := w.strs[s]; ok {
		w.uint(i + 1)
		return
	}
	w.strs[s] = len(w.strs)
	w.uint(0)
	w.bytes([]byte(s))
}

func (w *typeWriter) pos(p token.Pos) {
	if !p.IsValid() {
		w.uint(0)
		return
	}
	f := w.fset.File(p)
	if f == nil {
		w.uint(0)
		return
	}
	i, ok := w.files[f]
	if !ok {
		i = len(w.fileTab)
		w.files[f] = i
		w.fileTab = append(w.fileTab, f)
	}
	w.uint(i + 1)
	w.uint(f.Offset(p))
}

// head is what a field, parameter or method is before its type: its package, name and
// position.
func (w *typeWriter) head(obj types.Object) {
	w.pkgRef(obj.Pkg())
	w.string(obj.Name())
	w.pos(obj.Pos())
}

// pkgRef: 0 nil, 1 this package, else 2 and a path.
func (w *typeWriter) pkgRef(p *types.Package) {
	switch p {
	case nil:
		w.uint(0)
	case w.pkg:
		w.uint(1)
	default:
		w.uint(2)
		w.string(p.Path())
	}
}

func (w *typeWriter) object(obj types.Object) {
	if obj.Pkg() != w.pkg || obj.Parent() != w.pkg.Scope() {
		panic(errUnstorable)
	}
	var tag int
	switch obj.(type) {
	case *types.Const:
		tag = oConst
	case *types.Var:
		tag = oVar
	case *types.Func:
		tag = oFunc
	case *types.TypeName:
		// its type defines it: a named type or an alias of this package
		w.uint(oTypeName)
		w.typ(obj.Type())
		if owner(obj.Type()) != obj {
			panic(errUnstorable)
		}
		return
	default:
		panic(errUnstorable)
	}
	w.uint(tag)
	w.string(obj.Name())
	w.pos(obj.Pos())
	w.typ(obj.Type())
	if c, ok := obj.(*types.Const); ok {
		w.value(c.Val())
	}
}

// owner is the type name a named type or alias is declared by.
func owner(t types.Type) *types.TypeName {
	switch t := t.(type) {
	case *types.Named:
		return t.Obj()
	case *types.Alias:
		return t.Obj()
	}
	return nil
}

func (w *typeWriter) value(v constant.Value) {
	w.uint(int(v.Kind()))
	switch v.Kind() {
	case constant.Bool:
		w.bool(constant.BoolVal(v))
	case constant.String:
		w.string(constant.StringVal(v))
	case constant.Int, constant.Float:
		switch x := constant.Val(v).(type) {
		case int64:
			w.uint(0)
			w.int64(x)
		case *big.Int:
			w.uint(1)
			w.gob(x)
		case *big.Rat:
			w.uint(2)
			w.gob(x)
		case *big.Float:
			w.uint(3)
			w.gob(x)
		default:
			panic(errUnstorable)
		}
	case constant.Complex:
		w.value(constant.Real(v))
		w.value(constant.Imag(v))
	default:
		panic(errUnstorable)
	}
}

func (w *typeWriter) gob(x interface{ GobEncode() ([]byte, error) }) {
	b, err := x.GobEncode()
	if err != nil {
		panic(errUnstorable)
	}
	w.bytes(b)
}

func (w *typeWriter) typ(t types.Type) {
	if i, ok := w.types[t]; ok {
		w.uint(tRef)
		w.uint(i)
		return
	}
	if name, ok := universeName(t); ok {
		w.uint(tUniverse)
		w.string(name)
		return
	}
	switch t := t.(type) {
	case *types.Basic:
		if types.Typ[t.Kind()] != t {
			panic(errUnstorable)
		}
		w.uint(tBasic)
		w.uint(int(t.Kind()))
		return
	case *types.TypeParam:
		panic(errUnstorable) // not declared by a list written so far
	}
	if obj := owner(t); obj != nil && obj.Pkg() != nil && obj.Type() == t {
		if obj.Parent() != obj.Pkg().Scope() {
			panic(errUnstorable) // a local type
		}
		if obj.Pkg() != w.pkg {
			w.uint(tImported)
			w.string(obj.Pkg().Path())
			w.string(obj.Name())
			return
		}
	}
	w.types[t] = len(w.types)
	switch t := t.(type) {
	case *types.Named:
		if t.Origin() != t {
			w.uint(tInstance)
			w.typ(t.Origin())
			w.typeList(t.TypeArgs())
			return
		}
		if t.Obj().Pkg() != w.pkg {
			panic(errUnstorable)
		}
		w.uint(tNamed)
		w.string(t.Obj().Name())
		w.pos(t.Obj().Pos())
		w.tparamHeads(t.TypeParams())
		w.queue = append(w.queue, t)
	case *types.Alias:
		obj := t.Obj()
		if obj.Pkg() != w.pkg || obj.Type() != t {
			// an instance of a generic alias: what it stands for
			delete(w.types, t)
			w.typ(types.Unalias(t))
			return
		}
		rhs, ok := aliasRhs(t)
		if !ok {
			panic(errUnstorable)
		}
		w.uint(tAlias)
		w.string(obj.Name())
		w.pos(obj.Pos())
		w.typ(rhs)
	case *types.Pointer:
		w.uint(tPointer)
		w.typ(t.Elem())
	case *types.Slice:
		w.uint(tSlice)
		w.typ(t.Elem())
	case *types.Array:
		w.uint(tArray)
		w.int64(t.Len())
		w.typ(t.Elem())
	case *types.Map:
		w.uint(tMap)
		w.typ(t.Key())
		w.typ(t.Elem())
	case *types.Chan:
		w.uint(tChan)
		w.uint(int(t.Dir()))
		w.typ(t.Elem())
	case *types.Struct:
		w.uint(tStruct)
		w.uint(t.NumFields())
		for i := 0; i < t.NumFields(); i++ {
			f := t.Field(i)
			w.bool(f.Embedded())
			w.variable(f)
			w.string(t.Tag(i))
		}
	case *types.Signature:
		w.uint(tSignature)
		w.signature(t, false)
	case *types.Interface:
		w.uint(tInterface)
		w.bool(t.IsImplicit())
		w.uint(t.NumExplicitMethods())
		for i := 0; i < t.NumExplicitMethods(); i++ {
			m := t.ExplicitMethod(i)
			w.head(m)
			// An interface literal's methods have it as their receiver: NewInterfaceType
			// gives them that (the literal is not made yet when they are read).
			sig := m.Type().(*types.Signature)
			_, seen := w.types[sig]
			self := sig.Recv() != nil && sig.Recv().Type() == t && !seen
			w.bool(self)
			if self {
				w.uint(tSignature)
				w.types[sig] = len(w.types)
				w.signature(sig, true)
			} else {
				w.typ(sig)
			}
		}
		w.uint(t.NumEmbeddeds())
		for i := 0; i < t.NumEmbeddeds(); i++ {
			w.typ(t.EmbeddedType(i))
		}
	case *types.Union:
		w.uint(tUnion)
		w.uint(t.Len())
		for i := 0; i < t.Len(); i++ {
			w.bool(t.Term(i).Tilde())
			w.typ(t.Term(i).Type())
		}
	default:
		panic(errUnstorable)
	}
}

func (w *typeWriter) typeList(l *types.TypeList) {
	w.uint(l.Len())
	for i := 0; i < l.Len(); i++ {
		w.typ(l.At(i))
	}
}

// tparamHeads declares a list's type parameters (their constraints are written apart:
// tparamBounds).
func (w *typeWriter) tparamHeads(l *types.TypeParamList) {
	w.uint(l.Len())
	for i := 0; i < l.Len(); i++ {
		tp := l.At(i)
		w.types[tp] = len(w.types) // referred to by number from here
		w.string(tp.Obj().Name())
		w.pos(tp.Obj().Pos())
	}
}

func (w *typeWriter) tparamBounds(l *types.TypeParamList) {
	for i := 0; i < l.Len(); i++ {
		w.typ(l.At(i).Constraint())
	}
}

func (w *typeWriter) variable(v *types.Var) {
	w.head(v)
	w.typ(v.Type())
}

func (w *typeWriter) tuple(t *types.Tuple) {
	w.uint(t.Len())
	for i := 0; i < t.Len(); i++ {
		w.variable(t.At(i))
	}
}

func (w *typeWriter) signature(s *types.Signature, noRecv bool) {
	w.bool(s.Variadic())
	w.bool(s.Recv() != nil && !noRecv)
	w.tparamHeads(s.RecvTypeParams())
	w.tparamHeads(s.TypeParams())
	w.tparamBounds(s.RecvTypeParams())
	w.tparamBounds(s.TypeParams())
	if s.Recv() != nil && !noRecv {
		w.variable(s.Recv())
	}
	w.tuple(s.Params())
	w.tuple(s.Results())
}

// drain writes the bodies of the named types met so far: their type parameters' constraints,
// underlying types and methods.
func (w *typeWriter) drain() {
	for len(w.queue) > 0 {
		t := w.queue[0]
		w.queue = w.queue[1:]
		w.tparamBounds(t.TypeParams())
		w.typ(t.Underlying())
		w.uint(t.NumMethods())
		for i := 0; i < t.NumMethods(); i++ {
			m := t.Method(i)
			w.head(m)
			w.typ(m.Type())
		}
	}
}

// anyInterface is the name universeName gives the empty interface the alias any stands for
// (with alias types), as the underlying type of `type Token any` (encoding/json) has it:
// go/types prints that interface as "any", a new empty interface as interface{}.
const anyInterface = "interface{any}"

// universeName: t is the universe's type of that name (int, byte, error, any, comparable), or
// any's interface (anyInterface). Without alias types (gotypesalias=0: Go 1.22's default, Go
// 1.23's vet's, see vetprep, and the standard-library-only engine's on 1.23 to 1.26, whose
// go.mod says 1.22), any is that interface itself, which has no owner. Either must read back
// as that interface, not a new one: an importer's errors would say interface{} where the
// compiler says any.
func universeName(t types.Type) (string, bool) {
	var name string
	if b, ok := t.(*types.Basic); ok {
		name = b.Name()
	} else if obj := owner(t); obj != nil {
		name = obj.Name()
	} else if _, ok := t.(*types.Interface); ok {
		if a := types.Universe.Lookup("any").Type(); a != t && a.Underlying() == t {
			return anyInterface, true
		}
		name = "any"
	} else {
		return "", false
	}
	if obj, ok := types.Universe.Lookup(name).(*types.TypeName); ok && obj.Type() == t {
		return name, true
	}
	return "", false
}

// ---- reading ----

type typeReader struct {
	data   []byte
	off    int
	strs   []string
	types  []types.Type
	pkg    *types.Package
	files  []*token.File
	pkgs   map[string]*types.Package // the packages the writer's referred to: the imports' closure
	queue  []*types.Named
	bounds []tparamBound
	ifaces []*types.Interface
}

type tparamBound struct {
	tp    *types.TypeParam
	bound types.Type
}

var errBadStore = errors.New("typestore: malformed")

// fileAdder gives a file of the positions being read (name, size and line starts as
// written) a token.File: fset.AddFile, or one made before for the same file.
type fileAdder func(name string, size int, lines []int) *token.File

// newFileAdder adds each file to fset once per name, size and lines: the packages read in a
// run share their files' positions as parsed files do (not a copy of a file's line table
// per package read: os is read once per port).
func newFileAdder(fset *token.FileSet) fileAdder {
	type fileKey struct {
		name  string
		size  int
		lines [32]byte
	}
	var mu sync.Mutex
	files := map[fileKey]*token.File{}
	return func(name string, size int, lines []int) *token.File {
		h := sha256.New()
		var buf [binary.MaxVarintLen64]byte
		for _, l := range lines {
			h.Write(buf[:binary.PutUvarint(buf[:], uint64(l))])
		}
		k := fileKey{name: name, size: size}
		h.Sum(k.lines[:0])
		mu.Lock()
		defer mu.Unlock()
		if f := files[k]; f != nil {
			return f
		}
		f := fset.AddFile(name, -1, size)
		if !f.SetLines(lines) {
			return nil
		}
		files[k] = f
		return f
	}
}

// decodePackage reads a package encodePackage wrote, its files' positions given by addFile;
// imports are the packages its types may refer to, by path (the closure of its imports).
func decodePackage(addFile fileAdder, data []byte, imports map[string]*types.Package) (pkg *types.Package, err error) {
	r := &typeReader{data: data, pkgs: imports}
	defer func() {
		if rec := recover(); rec != nil {
			pkg, err = nil, fmt.Errorf("typestore: %v at byte %d", rec, r.off)
		}
	}()
	if r.uint() != typeStoreVersion {
		return nil, errBadStore
	}
	r.pkg = types.NewPackage(r.string(), r.string())
	nfiles := r.uint()
	for i := 0; i < nfiles; i++ {
		name, size := r.string(), r.uint()
		lines := make([]int, r.count())
		prev := 0
		for j := range lines {
			prev += r.uint()
			lines[j] = prev
		}
		f := addFile(name, size, lines)
		if f == nil {
			return nil, errBadStore
		}
		r.files = append(r.files, f)
	}
	r.strs = nil // the body has its own strings
	scope := r.pkg.Scope()
	for n := r.uint(); n > 0; n-- {
		if alt := scope.Insert(r.object()); alt != nil {
			return nil, errBadStore
		}
		r.drain()
	}
	imps := make([]*types.Package, r.count())
	for i := range imps {
		if imps[i] = imports[r.string()]; imps[i] == nil {
			return nil, errBadStore
		}
	}
	if r.off != len(r.data) {
		return nil, errBadStore
	}
	for _, b := range r.bounds {
		b.tp.SetConstraint(b.bound)
	}
	for _, it := range r.ifaces {
		it.Complete()
	}
	r.pkg.SetImports(imps)
	r.pkg.MarkComplete()
	return r.pkg, nil
}

func (r *typeReader) uint() int {
	n, k := binary.Uvarint(r.data[r.off:])
	if k <= 0 || n > 1<<40 {
		panic(errBadStore)
	}
	r.off += k
	return int(n)
}

// count is a number of things to read, each at least a byte.
func (r *typeReader) count() int {
	n := r.uint()
	if n > len(r.data)-r.off {
		panic(errBadStore)
	}
	return n
}

func (r *typeReader) int64() int64 {
	n, k := binary.Varint(r.data[r.off:])
	if k <= 0 {
		panic(errBadStore)
	}
	r.off += k
	return n
}

func (r *typeReader) bool() bool {
	if r.off >= len(r.data) {
		panic(errBadStore)
	}
	b := r.data[r.off]
	r.off++
	return b != 0
}

func (r *typeReader) bytes() []byte {
	n := r.uint()
	if n > len(r.data)-r.off {
		panic(errBadStore)
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b
}

func (r *typeReader) string() string {
	i := r.uint()
	if i > 0 {
		if i > len(r.strs) {
			panic(errBadStore)
		}
		return r.strs[i-1]
	}
	s := string(r.bytes())
	r.strs = append(r.strs, s)
	return s
}

func (r *typeReader) pos() token.Pos {
	i := r.uint()
	if i == 0 {
		return token.NoPos
	}
	if i > len(r.files) {
		panic(errBadStore)
	}
	f, off := r.files[i-1], r.uint()
	if off > f.Size() {
		panic(errBadStore)
	}
	return f.Pos(off)
}

// head reads what typeWriter.head wrote.
func (r *typeReader) head() (*types.Package, string, token.Pos) {
	return r.pkgRef(), r.string(), r.pos()
}

func (r *typeReader) pkgRef() *types.Package {
	switch r.uint() {
	case 0:
		return nil
	case 1:
		return r.pkg
	}
	p := r.pkgs[r.string()]
	if p == nil {
		panic(errBadStore)
	}
	return p
}

func (r *typeReader) object() types.Object {
	switch r.uint() {
	case oConst:
		name, pos := r.string(), r.pos()
		t := r.typ()
		return types.NewConst(pos, r.pkg, name, t, r.value())
	case oVar:
		name, pos := r.string(), r.pos()
		return types.NewVar(pos, r.pkg, name, r.typ())
	case oFunc:
		name, pos := r.string(), r.pos()
		return types.NewFunc(pos, r.pkg, name, r.signatureType())
	case oTypeName:
		obj := owner(r.typ())
		if obj == nil || obj.Pkg() != r.pkg {
			panic(errBadStore)
		}
		return obj
	}
	panic(errBadStore)
}

func (r *typeReader) value() constant.Value {
	kind := constant.Kind(r.uint())
	var v constant.Value
	switch kind {
	case constant.Bool:
		v = constant.MakeBool(r.bool())
	case constant.String:
		v = constant.MakeString(r.string())
	case constant.Int, constant.Float:
		switch r.uint() {
		case 0:
			v = constant.MakeInt64(r.int64())
		case 1:
			x := new(big.Int)
			r.gob(x)
			v = constant.Make(x)
		case 2:
			x := new(big.Rat)
			r.gob(x)
			v = constant.Make(x)
		case 3:
			x := new(big.Float)
			r.gob(x)
			v = constant.Make(x)
		default:
			panic(errBadStore)
		}
	case constant.Complex:
		re, im := r.value(), r.value()
		v = constant.BinaryOp(re, token.ADD, constant.MakeImag(im))
	default:
		panic(errBadStore)
	}
	if v.Kind() != kind {
		panic(errBadStore)
	}
	return v
}

func (r *typeReader) gob(x interface{ GobDecode([]byte) error }) {
	if x.GobDecode(r.bytes()) != nil {
		panic(errBadStore)
	}
}

func (r *typeReader) signatureType() *types.Signature {
	s, ok := r.typ().(*types.Signature)
	if !ok {
		panic(errBadStore)
	}
	return s
}

// slot reserves the number the writer gave the type being read.
func (r *typeReader) slot() int {
	r.types = append(r.types, nil)
	return len(r.types) - 1
}

func (r *typeReader) typ() types.Type {
	tag := r.uint()
	switch tag {
	case tRef:
		i := r.uint()
		if i >= len(r.types) || r.types[i] == nil {
			panic(errBadStore)
		}
		return r.types[i]
	case tUniverse:
		name := r.string()
		if name == anyInterface {
			return types.Universe.Lookup("any").Type().Underlying()
		}
		obj, ok := types.Universe.Lookup(name).(*types.TypeName)
		if !ok {
			panic(errBadStore)
		}
		return obj.Type()
	case tBasic:
		k := r.uint()
		if k >= len(types.Typ) {
			panic(errBadStore)
		}
		return types.Typ[k]
	case tImported:
		p := r.pkgs[r.string()]
		if p == nil {
			panic(errBadStore)
		}
		obj, ok := p.Scope().Lookup(r.string()).(*types.TypeName)
		if !ok {
			panic(errBadStore)
		}
		return obj.Type()
	}
	i := r.slot()
	var t types.Type
	switch tag {
	case tNamed:
		name, pos := r.string(), r.pos()
		n := types.NewNamed(types.NewTypeName(pos, r.pkg, name, nil), nil, nil)
		r.types[i] = n
		if tps := r.tparamHeads(); len(tps) > 0 {
			n.SetTypeParams(tps)
		}
		r.queue = append(r.queue, n)
		return n
	case tInstance:
		origin := r.typ()
		targs := r.typeList()
		inst, err := types.Instantiate(nil, origin, targs, false)
		if err != nil {
			panic(errBadStore)
		}
		t = inst
	case tAlias:
		name, pos := r.string(), r.pos()
		t = types.NewAlias(types.NewTypeName(pos, r.pkg, name, nil), r.typ())
	case tPointer:
		t = types.NewPointer(r.typ())
	case tSlice:
		t = types.NewSlice(r.typ())
	case tArray:
		n := r.int64()
		t = types.NewArray(r.typ(), n)
	case tMap:
		k := r.typ()
		t = types.NewMap(k, r.typ())
	case tChan:
		dir := types.ChanDir(r.uint())
		t = types.NewChan(dir, r.typ())
	case tStruct:
		fields := make([]*types.Var, r.count())
		tags := make([]string, len(fields))
		for j := range fields {
			embedded := r.bool()
			pkg, name, pos := r.head()
			fields[j] = types.NewField(pos, pkg, name, r.typ(), embedded)
			tags[j] = r.string()
		}
		t = types.NewStruct(fields, tags)
	case tSignature:
		t = r.signature()
	case tInterface:
		implicit := r.bool()
		methods := make([]*types.Func, r.count())
		for j := range methods {
			pkg, name, pos := r.head()
			var sig *types.Signature
			if r.bool() { // its receiver is the interface: NewInterfaceType sets it
				if r.uint() != tSignature {
					panic(errBadStore)
				}
				k := r.slot()
				sig = r.signature()
				r.types[k] = sig
			} else {
				sig = r.signatureType()
			}
			methods[j] = types.NewFunc(pos, pkg, name, sig)
		}
		embedded := make([]types.Type, r.count())
		for j := range embedded {
			embedded[j] = r.typ()
		}
		it := types.NewInterfaceType(methods, embedded)
		if implicit {
			it.MarkImplicit()
		}
		r.ifaces = append(r.ifaces, it)
		t = it
	case tUnion:
		terms := make([]*types.Term, r.count())
		for j := range terms {
			tilde := r.bool()
			terms[j] = types.NewTerm(tilde, r.typ())
		}
		t = types.NewUnion(terms)
	default:
		panic(errBadStore)
	}
	r.types[i] = t
	return t
}

func (r *typeReader) typeList() []types.Type {
	l := make([]types.Type, r.count())
	for i := range l {
		l[i] = r.typ()
	}
	return l
}

func (r *typeReader) tparamHeads() []*types.TypeParam {
	n := r.count()
	if n == 0 {
		return nil
	}
	l := make([]*types.TypeParam, n)
	for i := range l {
		name, pos := r.string(), r.pos()
		l[i] = types.NewTypeParam(types.NewTypeName(pos, r.pkg, name, nil), nil)
		r.types = append(r.types, l[i])
	}
	return l
}

// tparamBounds reads the constraints of l, set once every named type is complete.
func (r *typeReader) tparamBounds(l []*types.TypeParam) {
	for _, tp := range l {
		r.bounds = append(r.bounds, tparamBound{tp, r.typ()})
	}
}

func (r *typeReader) variable() *types.Var {
	pkg, name, pos := r.head()
	return types.NewParam(pos, pkg, name, r.typ())
}

func (r *typeReader) tuple(kind varRole) *types.Tuple {
	n := r.count()
	if n == 0 {
		return nil
	}
	vars := make([]*types.Var, n)
	for i := range vars {
		vars[i] = r.variable()
		setVarRole(vars[i], kind)
	}
	return types.NewTuple(vars...)
}

func (r *typeReader) signature() *types.Signature {
	variadic, hasRecv := r.bool(), r.bool()
	rtps, tps := r.tparamHeads(), r.tparamHeads()
	r.tparamBounds(rtps)
	r.tparamBounds(tps)
	var recv *types.Var
	if hasRecv {
		recv = r.variable()
		setVarRole(recv, roleRecv)
	}
	params := r.tuple(roleParam)
	results := r.tuple(roleResult)
	return types.NewSignatureType(recv, rtps, tps, params, results, variadic)
}

func (r *typeReader) drain() {
	for len(r.queue) > 0 {
		n := r.queue[0]
		r.queue = r.queue[1:]
		var tps []*types.TypeParam
		for i := 0; i < n.TypeParams().Len(); i++ {
			tps = append(tps, n.TypeParams().At(i))
		}
		r.tparamBounds(tps)
		u := r.typ()
		if _, ok := u.(*types.Named); ok || u == nil {
			panic(errBadStore)
		}
		n.SetUnderlying(u)
		for m := r.uint(); m > 0; m-- {
			pkg, name, pos := r.head()
			n.AddMethod(types.NewFunc(pos, pkg, name, r.signatureType()))
		}
	}
}

// encodeRefs writes what a file declares and names (declrefs.go), for the store.
func encodeRefs(r *fileRefs) []byte {
	w := &typeWriter{strs: map[string]int{}}
	w.uint(typeStoreVersion)
	w.uint(len(r.imports))
	for _, fi := range r.imports {
		w.string(fi.path)
		w.string(fi.name)
	}
	w.uint(len(r.units))
	for _, u := range r.units {
		w.uint(u.decl)
		w.int64(int64(u.spec))
		w.strings(u.names)
		w.string(u.recv)
		w.string(u.method)
		w.bool(u.root)
		w.strings(u.idents)
		w.strings(u.quals)
	}
	return w.buf
}

func (w *typeWriter) strings(l []string) {
	w.uint(len(l))
	for _, s := range l {
		w.string(s)
	}
}

// decodeRefs reads what encodeRefs wrote.
func decodeRefs(data []byte) (refs *fileRefs, err error) {
	r := &typeReader{data: data}
	defer func() {
		if rec := recover(); rec != nil {
			refs, err = nil, fmt.Errorf("typestore: %v at byte %d", rec, r.off)
		}
	}()
	if r.uint() != typeStoreVersion {
		return nil, errBadStore
	}
	out := &fileRefs{imports: make([]fileImport, r.count())}
	for i := range out.imports {
		out.imports[i].path = r.string()
		out.imports[i].name = r.string()
	}
	out.units = make([]declUnit, r.count())
	for i := range out.units {
		u := &out.units[i]
		u.decl, u.spec = r.uint(), int(r.int64())
		u.names = r.strings()
		u.recv, u.method, u.root = r.string(), r.string(), r.bool()
		u.idents, u.quals = r.strings(), r.strings()
	}
	if r.off != len(r.data) {
		return nil, errBadStore
	}
	return out, nil
}

func (r *typeReader) strings() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = r.string()
	}
	return l
}
