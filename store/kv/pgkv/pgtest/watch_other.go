//go:build !unix

package pgtest

// watch does nothing where there is no sh to watch for this process's
// end: a server left by a killed test binary stays until stopped by hand.
func (s *server) watch() {}
