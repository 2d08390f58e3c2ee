package paralleltest

import (
	"flag"
	"runtime"
	"strconv"
	"testing"
)

// TestSetDefault: the default is n, or GOMAXPROCS when that is more; a
// value the command line gave stays.
func TestSetDefault(t *testing.T) {
	f := flag.Lookup("test.parallel")
	if f == nil {
		t.Fatal("no -test.parallel flag")
	}
	old := f.Value.String()
	t.Cleanup(func() { _ = f.Value.Set(old) })
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if err := setDefault(64); err != nil {
		t.Fatal(err)
	}
	want := strconv.Itoa(max(64, runtime.GOMAXPROCS(0)))
	if given {
		want = old
	}
	if got := f.Value.String(); got != want {
		t.Errorf("-test.parallel = %s, want %s (given on the command line: %v)", got, want, given)
	}
}
