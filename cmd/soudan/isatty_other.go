//go:build !(aix || linux || solaris || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

// isTerminalFD reports false where the terminal cannot be asked: the
// console then starts without its banner, as for a script.
func isTerminalFD(uintptr) bool { return false }
