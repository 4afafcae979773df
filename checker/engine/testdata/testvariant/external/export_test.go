package external

// Double is double, for the external test.
var Double = double
