package pv

type item string
