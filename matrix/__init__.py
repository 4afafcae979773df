"""Planning: which targets, variants and checks to run. Pure code: no subprocesses, no I/O."""
