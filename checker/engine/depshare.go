// Sharing a dependency's analysis by what it uses (apiprint.go), as main-module results are
// shared: with vet (and the analyzers of `analyzers:`, lint.go), a dependency module's package
// is checked with its bodies for its errors and its facts, once per sharing key. Its key
// differs on nearly every port, though its files do not: it imports `os`, whose key is the
// port's. What its check and its analyzers can observe of its imports is what a main-module
// package's can: so an entry whose own key (files, sizes, language: the key without its
// imports') equals one already checked without errors, and whose imports give the objects that
// one used identical deep descriptions, facts included, has that one's result: no error, the
// same facts. It is then checked for declarations only (what its importers read), and its
// analyzers do not run. x/sys/unix, whose files are the port's, is still analyzed per port;
// testify, cobra or yaml once per int size.

package main

// depShare is how the check of dependency entry e shares by use: the entry checked before it
// whose result it has (nil: e is checked and analyzed in full), and done, to call once e is
// checked, which records e for those after it and lets them compare. Without sharing, vet, or
// with no_dep_bodies (thin), e is checked as it is and done does nothing.
func (s *sharingByUse) depShare(fc *fileCache, e *entry, vet vetRun) (*entry, func()) {
	if s == nil || vet == nil || !e.bodies || e.thin || e.own == "" {
		return nil, func() {}
	}
	g := s.group(e.own)
	g.Lock()
	c, prints := s.match(fc, e, g)
	if c != nil {
		s.depsShared.Add(1)
		g.Unlock()
		return c, func() {}
	}
	return nil, func() {
		defer g.Unlock()
		s.record(fc, e, g, prints)
	}
}

// depSharedCount is how many dependency entries had another's result (Stats).
func (s *sharingByUse) depSharedCount() int {
	if s == nil {
		return 0
	}
	return int(s.depsShared.Load())
}
