package layout

type stamp [3]int64

type cell []int
