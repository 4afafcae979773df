package pct

// Done is printed: "%d" is a formatting directive.
const Done = "50%d one"
