//go:build aix || linux || solaris || darwin || dragonfly || freebsd || netbsd || openbsd

package main

import "golang.org/x/sys/unix"

// isTerminalFD reports whether fd is a terminal: whether it has terminal
// attributes, as golang.org/x/term's IsTerminal asks.
func isTerminalFD(fd uintptr) bool {
	_, err := unix.IoctlGetTermios(int(fd), ioctlReadTermios)
	return err == nil
}
