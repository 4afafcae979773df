// What the narrowing rule knows about a value's range at a conversion: its type, constants,
// masks, shifts, len/cap, min/max clamps, and comparisons that dominate the conversion (an
// enclosing `if`, an earlier `if ... { return }`, the left side of && and ||, a loop or
// switch condition). It is a small, local analysis over one function body at a time: a fact
// about a variable (or a field path like s.n) holds until the variable is assigned again.

package narrow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math/big"
)

// rng is a closed interval of integer values.
type rng struct{ lo, hi *big.Int }

func (r *rng) intersect(o *rng) *rng {
	if r == nil {
		return o
	}
	if o == nil {
		return r
	}
	return &rng{lo: maxInt(r.lo, o.lo), hi: minInt(r.hi, o.hi)}
}

func (r *rng) within(o *rng) bool { return r.lo.Cmp(o.lo) >= 0 && r.hi.Cmp(o.hi) <= 0 }

func (r *rng) nonNeg() bool { return r.lo.Sign() >= 0 }

func (r *rng) constant() (int64, bool) {
	if r.lo.Cmp(r.hi) != 0 || !r.lo.IsInt64() {
		return 0, false
	}
	return r.lo.Int64(), true
}

// facts are what dominating conditions and assignments say about variables, by expression
// (an identifier or a selector path). Copied on write: each branch has its own.
type facts map[string]*rng

func (f facts) with(key string, r *rng) facts {
	out := make(facts, len(f)+1)
	for k, v := range f {
		out[k] = v
	}
	out[key] = r
	return out
}

// without drops the facts about key and about its fields (key.x...).
func (f facts) without(keys map[string]bool) facts {
	if len(keys) == 0 || len(f) == 0 {
		return f
	}
	out := make(facts, len(f))
	for k, v := range f {
		if !killed(k, keys) {
			out[k] = v
		}
	}
	return out
}

func killed(k string, keys map[string]bool) bool {
	for i := len(k); i > 0; i-- {
		if (i == len(k) || k[i] == '.') && keys[k[:i]] {
			return true
		}
	}
	return false
}

// factKey names a variable or field path (x, s.n, a.b.c); "" for anything else.
func factKey(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if e.Name == "_" {
			return ""
		}
		return e.Name
	case *ast.SelectorExpr:
		if k := factKey(e.X); k != "" {
			return k + "." + e.Sel.Name
		}
	}
	return ""
}

// ranger computes ranges of expressions where int is word bytes wide.
type ranger struct {
	info *types.Info
	word int64
}

// of is the range of e's value, or nil when e is not an integer (or has a type parameter).
func (g *ranger) of(e ast.Expr, env facts) *rng {
	e = ast.Unparen(e)
	tv, ok := g.info.Types[e]
	if !ok {
		return nil
	}
	if tv.Value != nil {
		if v, ok := new(big.Int).SetString(constant.ToInt(tv.Value).ExactString(), 10); ok {
			return &rng{lo: v, hi: v}
		}
		return nil
	}
	b := intKind(tv.Type)
	if b == nil {
		return nil
	}
	lo, hi := bounds(b, g.word)
	base := &rng{lo: lo, hi: hi}
	r := g.shape(e, env)
	if r == nil || !r.within(base) {
		// Arithmetic that may wrap says nothing; a fact narrower than the type does.
		if r != nil && r.lo.Cmp(base.hi) <= 0 && r.hi.Cmp(base.lo) >= 0 && factKey(e) != "" {
			return r.intersect(base)
		}
		return base
	}
	return r
}

// shape is what e's form says about its value (nil: nothing beyond its type).
func (g *ranger) shape(e ast.Expr, env facts) *rng {
	switch e := e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return env[factKey(e)]
	case *ast.CallExpr:
		return g.call(e, env)
	case *ast.UnaryExpr:
		if e.Op == token.SUB {
			if x := g.of(e.X, env); x != nil {
				return &rng{lo: new(big.Int).Neg(x.hi), hi: new(big.Int).Neg(x.lo)}
			}
		}
	case *ast.BinaryExpr:
		return g.binary(e, env)
	}
	return nil
}

func (g *ranger) call(e *ast.CallExpr, env facts) *rng {
	fun, ok := g.info.Types[e.Fun]
	if !ok {
		return nil
	}
	if fun.IsType() && len(e.Args) == 1 {
		return g.of(e.Args[0], env) // kept when it fits the conversion's type (see of)
	}
	id, ok := ast.Unparen(e.Fun).(*ast.Ident)
	if !ok || !fun.IsBuiltin() {
		return nil
	}
	switch id.Name {
	case "len", "cap":
		// On a 32-bit target a length is at most MaxInt32 (the int type's bound gives that).
		return &rng{lo: big.NewInt(0), hi: new(big.Int).SetInt64(1<<(g.word*8-1) - 1)}
	case "min", "max":
		var out *rng
		for _, a := range e.Args {
			r := g.of(a, env)
			if r == nil {
				return nil
			}
			if out == nil {
				out = &rng{lo: r.lo, hi: r.hi}
			} else if id.Name == "min" {
				out = &rng{lo: minInt(out.lo, r.lo), hi: minInt(out.hi, r.hi)}
			} else {
				out = &rng{lo: maxInt(out.lo, r.lo), hi: maxInt(out.hi, r.hi)}
			}
		}
		return out
	}
	return nil
}

func (g *ranger) binary(e *ast.BinaryExpr, env facts) *rng {
	x, y := g.of(e.X, env), g.of(e.Y, env)
	if x == nil || y == nil {
		return nil
	}
	zero := big.NewInt(0)
	switch e.Op {
	case token.AND:
		switch {
		case x.nonNeg() && y.nonNeg():
			return &rng{lo: zero, hi: minInt(x.hi, y.hi)}
		case x.nonNeg():
			return &rng{lo: zero, hi: x.hi}
		case y.nonNeg():
			return &rng{lo: zero, hi: y.hi}
		}
	case token.AND_NOT:
		if x.nonNeg() {
			return &rng{lo: zero, hi: x.hi}
		}
	case token.OR, token.XOR:
		if x.nonNeg() && y.nonNeg() {
			top := new(big.Int).Lsh(big.NewInt(1), uint(maxInt(x.hi, y.hi).BitLen()))
			return &rng{lo: zero, hi: top.Sub(top, big.NewInt(1))}
		}
	case token.SHR:
		if c, ok := y.constant(); ok && c >= 0 && c < 128 {
			return &rng{lo: new(big.Int).Rsh(x.lo, uint(c)), hi: new(big.Int).Rsh(x.hi, uint(c))}
		}
	case token.SHL:
		if c, ok := y.constant(); ok && c >= 0 && c < 128 {
			return &rng{lo: new(big.Int).Lsh(x.lo, uint(c)), hi: new(big.Int).Lsh(x.hi, uint(c))}
		}
	case token.REM:
		if c, ok := y.constant(); ok && c > 0 {
			m := big.NewInt(c - 1)
			if x.nonNeg() {
				return &rng{lo: zero, hi: m}
			}
			return &rng{lo: new(big.Int).Neg(m), hi: m}
		}
	case token.QUO:
		if c, ok := y.constant(); ok && c > 0 {
			d := big.NewInt(c)
			return &rng{lo: new(big.Int).Quo(x.lo, d), hi: new(big.Int).Quo(x.hi, d)}
		}
	case token.ADD:
		return &rng{lo: new(big.Int).Add(x.lo, y.lo), hi: new(big.Int).Add(x.hi, y.hi)}
	case token.SUB:
		return &rng{lo: new(big.Int).Sub(x.lo, y.hi), hi: new(big.Int).Sub(x.hi, y.lo)}
	case token.MUL:
		p := []*big.Int{new(big.Int).Mul(x.lo, y.lo), new(big.Int).Mul(x.lo, y.hi),
			new(big.Int).Mul(x.hi, y.lo), new(big.Int).Mul(x.hi, y.hi)}
		out := &rng{lo: p[0], hi: p[0]}
		for _, v := range p[1:] {
			out = &rng{lo: minInt(out.lo, v), hi: maxInt(out.hi, v)}
		}
		return out
	}
	return nil
}

// assume is env plus what cond being truth says.
func (g *ranger) assume(cond ast.Expr, truth bool, env facts) facts {
	switch c := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			return g.assume(c.X, !truth, env)
		}
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LAND:
			if truth {
				return g.assume(c.Y, true, g.assume(c.X, true, env))
			}
			// `wordSize == 32 && v > max` false, with the left side constant true here.
			if g.isConst(c.X, true) {
				return g.assume(c.Y, false, env)
			}
			if g.isConst(c.Y, true) {
				return g.assume(c.X, false, env)
			}
			return env
		case token.LOR:
			if !truth {
				return g.assume(c.Y, false, g.assume(c.X, false, env))
			}
			if g.isConst(c.X, false) {
				return g.assume(c.Y, true, env)
			}
			if g.isConst(c.Y, false) {
				return g.assume(c.X, true, env)
			}
			return env
		case token.LSS, token.LEQ, token.GTR, token.GEQ, token.EQL, token.NEQ:
			op := c.Op
			if !truth {
				op = negate[op]
			}
			env = g.compare(c.X, op, c.Y, env)
			return g.compare(c.Y, mirror[op], c.X, env)
		}
	}
	return env
}

// isConst: e is a boolean constant equal to want for these sizes (`wordSize == 32`,
// `unsafe.Sizeof(uintptr(0)) == 8`, `runtime.GOARCH == "386"`, ...).
func (g *ranger) isConst(e ast.Expr, want bool) bool {
	tv, ok := g.info.Types[ast.Unparen(e)]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool &&
		constant.BoolVal(tv.Value) == want
}

var negate = map[token.Token]token.Token{token.LSS: token.GEQ, token.LEQ: token.GTR,
	token.GTR: token.LEQ, token.GEQ: token.LSS, token.EQL: token.NEQ, token.NEQ: token.EQL}

var mirror = map[token.Token]token.Token{token.LSS: token.GTR, token.LEQ: token.GEQ,
	token.GTR: token.LSS, token.GEQ: token.LEQ, token.EQL: token.EQL, token.NEQ: token.NEQ}

// compare records what `a op b` (true) says about a, when a is a variable or field path, or
// a value-preserving conversion of one (`int64(n) > max` bounds n).
func (g *ranger) compare(a ast.Expr, op token.Token, b ast.Expr, env facts) facts {
	a = ast.Unparen(a)
	for {
		call, ok := a.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			break
		}
		fun, ok := g.info.Types[call.Fun]
		inner, ok2 := g.info.Types[call.Args[0]]
		if !ok || !ok2 || !fun.IsType() || intKind(fun.Type) == nil ||
			intKind(inner.Type) == nil {
			break
		}
		ilo, ihi := bounds(intKind(inner.Type), g.word)
		olo, ohi := bounds(intKind(fun.Type), g.word)
		if !(&rng{lo: ilo, hi: ihi}).within(&rng{lo: olo, hi: ohi}) {
			break
		}
		a = ast.Unparen(call.Args[0])
	}
	key := factKey(a)
	if key == "" {
		return env
	}
	cur, other := g.of(a, env), g.of(b, env)
	if cur == nil || other == nil {
		return env
	}
	one := big.NewInt(1)
	next := &rng{lo: cur.lo, hi: cur.hi}
	switch op {
	case token.LSS:
		next.hi = minInt(cur.hi, new(big.Int).Sub(other.hi, one))
	case token.LEQ:
		next.hi = minInt(cur.hi, other.hi)
	case token.GTR:
		next.lo = maxInt(cur.lo, new(big.Int).Add(other.lo, one))
	case token.GEQ:
		next.lo = maxInt(cur.lo, other.lo)
	case token.EQL:
		next = cur.intersect(other)
	default:
		return env
	}
	return env.with(key, next)
}

// walker visits every call in a file with the facts that hold there.
type walker struct {
	info  *types.Info
	word  int64
	visit func(*ast.CallExpr, facts)
}

func (w *walker) ranger() *ranger { return &ranger{info: w.info, word: w.word} }

func (w *walker) file(f *ast.File) {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			if fd.Body != nil {
				w.block(fd.Body.List, nil)
			}
			continue
		}
		w.expr(d, nil)
	}
}

// block walks a statement list and returns what holds after it. Facts about variables the
// list declares (:=, var) end with it: outside, the name is another variable.
func (w *walker) block(list []ast.Stmt, env facts) facts {
	entry := env
	for _, s := range list {
		env = w.stmt(s, env)
	}
	return scoped(entry, env, declared(list))
}

// stmt walks one statement with env holding before it, and returns what holds after it: an
// `if cond { return/panic/break/continue }` makes !cond hold; `if x > max { x = max }` bounds
// x; an assignment replaces what was known of its target; a loop forgets what it assigns.
func (w *walker) stmt(s ast.Stmt, env facts) facts {
	g := w.ranger()
	switch s := s.(type) {
	case *ast.BlockStmt:
		return w.block(s.List, env)
	case *ast.LabeledStmt:
		return w.stmt(s.Stmt, env)
	case *ast.IfStmt:
		entry := env
		if s.Init != nil {
			env = w.stmt(s.Init, env)
		}
		w.expr(s.Cond, env)
		// A branch a constant condition rules out on this target is dead code here
		// (`if uintSize == 64 { ... }` where uint is 32 bits wide).
		var body facts
		if !g.isConst(s.Cond, false) {
			body = w.block(s.Body.List, g.assume(s.Cond, true, env))
		}
		other := g.assume(s.Cond, false, env)
		if s.Else != nil && !g.isConst(s.Cond, true) {
			other = w.stmt(s.Else, other)
		}
		var out facts
		switch {
		case g.isConst(s.Cond, true): // the other branch is dead code here
			out = body
		case terminates(s.Body):
			out = other
		case s.Else != nil && endsBlock(s.Else):
			out = body
		default:
			out = join(body, other)
		}
		return scoped(entry, out, declared([]ast.Stmt{s.Init}))
	case *ast.ForStmt:
		entry := env
		if s.Init != nil {
			env = w.stmt(s.Init, env)
		}
		env = env.without(assigned(s))
		if s.Cond != nil {
			w.expr(s.Cond, env)
			env = g.assume(s.Cond, true, env)
		}
		w.block(s.Body.List, env)
		if s.Post != nil {
			w.stmt(s.Post, env)
		}
		return scoped(entry, entry.without(assigned(s)), declared([]ast.Stmt{s.Init}))
	case *ast.RangeStmt:
		w.expr(s.X, env)
		w.block(s.Body.List, env.without(assigned(s)))
	case *ast.SwitchStmt:
		inner := env
		if s.Init != nil {
			inner = w.stmt(s.Init, env)
		}
		if s.Tag != nil {
			w.expr(s.Tag, inner)
		}
		for _, c := range s.Body.List {
			cc := c.(*ast.CaseClause)
			cenv := inner
			for _, x := range cc.List {
				w.expr(x, inner)
			}
			if s.Tag == nil && len(cc.List) == 1 {
				cenv = g.assume(cc.List[0], true, inner)
			}
			if !w.deadCase(s.Tag, cc) {
				w.block(cc.Body, cenv)
			}
		}
	case *ast.TypeSwitchStmt:
		inner := env
		if s.Init != nil {
			inner = w.stmt(s.Init, env)
		}
		w.stmt(s.Assign, inner)
		for _, c := range s.Body.List {
			w.block(c.(*ast.CaseClause).Body, inner)
		}
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm != nil {
				w.stmt(cc.Comm, env)
			}
			w.block(cc.Body, env)
		}
	default:
		w.expr(s, env)
		out := env.without(assigned(s))
		if a, ok := s.(*ast.AssignStmt); ok && (a.Tok == token.DEFINE || a.Tok == token.ASSIGN) &&
			len(a.Lhs) == len(a.Rhs) {
			for i, lhs := range a.Lhs {
				if k := factKey(lhs); k != "" {
					if r := g.of(a.Rhs[i], env); r != nil {
						out = out.with(k, r)
					}
				}
			}
		}
		return out
	}
	return env.without(assigned(s))
}

// deadCase: a case of `switch tag` that cannot match here: the tag and every case value are
// constants and none is equal (`switch uintSize { case 64: ... }` where uint is 32 bits wide).
func (w *walker) deadCase(tag ast.Expr, cc *ast.CaseClause) bool {
	if tag == nil || len(cc.List) == 0 {
		return false
	}
	tv, ok := w.info.Types[ast.Unparen(tag)]
	if !ok || tv.Value == nil {
		return false
	}
	for _, x := range cc.List {
		cv, ok := w.info.Types[ast.Unparen(x)]
		if !ok || cv.Value == nil || constant.Compare(tv.Value, token.EQL, cv.Value) {
			return false
		}
	}
	return true
}

// join is what holds after either of two paths: for each variable both know, the union.
func join(a, b facts) facts {
	out := facts{}
	for k, x := range a {
		if y, ok := b[k]; ok {
			out[k] = &rng{lo: minInt(x.lo, y.lo), hi: maxInt(x.hi, y.hi)}
		}
	}
	return out
}

// scoped is end, with the facts about names declared inside a scope put back as they were at
// its entry (the outer variables of those names were not touched by the inner ones).
func scoped(entry, end facts, names map[string]bool) facts {
	if len(names) == 0 {
		return end
	}
	out := facts{}
	for k, v := range end {
		if !killed(k, names) {
			out[k] = v
		}
	}
	for k, v := range entry {
		if killed(k, names) {
			out[k] = v
		}
	}
	return out
}

// declared are the names a statement list declares at its own level (:=, var).
func declared(list []ast.Stmt) map[string]bool {
	out := map[string]bool{}
	for _, s := range list {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
						out[id.Name] = true
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok {
				for _, sp := range gd.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						for _, id := range vs.Names {
							out[id.Name] = true
						}
					}
				}
			}
		}
	}
	return out
}

// endsBlock: s is a block (an else branch) whose last statement leaves it.
func endsBlock(s ast.Stmt) bool {
	b, ok := s.(*ast.BlockStmt)
	return ok && terminates(b)
}

// expr visits the calls in n: the right side of && (||) with the left side true (false); a
// function literal's body with nothing known (it runs later).
func (w *walker) expr(n ast.Node, env facts) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.BinaryExpr:
			if m.Op == token.LAND || m.Op == token.LOR {
				w.expr(m.X, env)
				w.expr(m.Y, w.ranger().assume(m.X, m.Op == token.LAND, env))
				return false
			}
		case *ast.FuncLit:
			w.block(m.Body.List, nil)
			return false
		case *ast.CallExpr:
			w.visit(m, env)
		}
		return true
	})
}

// assigned are the variables and field paths a statement may assign, anywhere inside it.
func assigned(s ast.Stmt) map[string]bool {
	out := map[string]bool{}
	add := func(e ast.Expr) {
		if k := factKey(e); k != "" {
			out[k] = true
		}
	}
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				add(l)
			}
		case *ast.IncDecStmt:
			add(n.X)
		case *ast.RangeStmt:
			add(n.Key)
			add(n.Value)
		case *ast.UnaryExpr:
			if n.Op == token.AND { // &x: anything may change it later
				add(n.X)
			}
		}
		return true
	})
	return out
}

// terminates: the block's last statement leaves it (return, break, continue, goto, panic, or
// a call that exits: os.Exit, log.Fatal..., t.Fatal..., t.Skip...).
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			return f.Name == "panic"
		case *ast.SelectorExpr:
			switch f.Sel.Name {
			case "Exit", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "FailNow",
				"Skip", "Skipf", "SkipNow", "Goexit":
				return true
			}
		}
	}
	return false
}
