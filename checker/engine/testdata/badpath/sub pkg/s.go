package sub

var Y = 1
