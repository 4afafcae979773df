// A request for several modules: each target names its module's directory, and one process
// checks them all, sharing what the modules have in common (std) exactly as targets share it.

package main

import (
	"path/filepath"
	"testing"
)

// inModule is target t of the module in dir, named "<module>:<t.Name>".
func inModule(dir, module string, t Target) Target {
	t.Name = module + ":" + t.Name
	t.Dir = dir
	return t
}

func TestSeveralModulesInOneRequest(t *testing.T) {
	overflow, ossplit, itoa := fixture(t, "overflow"), fixture(t, "ossplit"), fixture(t, "itoa")
	req := newRequest(filepath.Dir(overflow),
		inModule(overflow, "overflow", target("linux", "386")),
		inModule(ossplit, "ossplit", target("linux", "386")),
		inModule(ossplit, "ossplit", target("windows", "386")),
		inModule(itoa, "itoa", target("linux", "386")))
	resp := runAll(req)
	got := results(t, resp)
	if d := got["overflow:linux/386"].Diagnostics; len(d) != 2 ||
		d[0].File != filepath.Join(overflow, "overflow.go") {
		t.Errorf("overflow:linux/386: want the overflow in its own module, got %+v", d)
	}
	for _, name := range []string{"ossplit:linux/386", "itoa:linux/386"} {
		if d := got[name].Diagnostics; len(d) != 0 {
			t.Errorf("%s: want no findings, got %+v", name, d)
		}
	}
	if d := got["ossplit:windows/386"].Diagnostics; len(d) != 1 ||
		d[0].File != filepath.Join(ossplit, "pages.go") || d[0].Message != "undefined: pageSize" {
		t.Errorf("ossplit:windows/386: want pageSize undefined in pages.go, got %+v", d)
	}
	if pk := got["overflow:linux/386"].Packages; len(pk) != 1 || pk[0] != "example.com/overflow" {
		t.Errorf("overflow:linux/386 lists %v", pk)
	}

	// The same modules, each alone: the shared run checks std's packages (strconv and what it
	// imports, the same for overflow's and itoa's linux/386) once, not once per module: it
	// checks exactly the std entries of the separate runs less those itoa repeats.
	alone := 0
	for _, r := range []*Request{
		newRequest(overflow, target("linux", "386")),
		newRequest(ossplit, target("linux", "386"), target("windows", "386")),
		newRequest(itoa, target("linux", "386")),
	} {
		alone += runAll(r).Stats.Checked
	}
	std := runAll(newRequest(itoa, target("linux", "386"))).Stats.Checked - 1 // less itoa itself
	if shared := resp.Stats.Checked; shared != alone-std {
		t.Errorf("one request for three modules checked %d entries, the three alone %d "+
			"(of which %d std entries repeated): want %d", shared, alone, std, alone-std)
	}
}
