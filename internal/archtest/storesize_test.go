package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// maxMethods is how many methods a type of the store may have. A type
// past it does too many things to read: *store.Tx once had 232, and its
// verbs now live on views by entity (tx.Users(), tx.Outbox(), ...).
const maxMethods = 120

// storeDoor is every method *store.Store may have: opening and closing
// the file or database (prepare runs the migrations on either engine),
// which engine it is and whether it answers (Engine, Ping: /readyz),
// backup and export, the schema version and the transaction entry
// points, and the inbox (Inbox), which is apart from the transactions on
// purpose: recording an event, which its platform's acknowledgement waits
// for, must not wait behind them. Everything else is a verb on *store.Tx or one of its
// views, reached in a transaction, so that what one event causes commits
// together. A method off the list fails the test; an entry that no longer
// names a method must leave it, so the list stays true.
var storeDoor = []string{
	"Backup", "Batch", "Close", "Commits", "Engine", "Inbox", "Path", "Ping", "SchemaVersion", "Update", "View",
	"WriteJSON", "batch", "now", "prepare", "run",
}

// methodSets returns, for every named type declared in the non-test Go
// files of dir, its method count: the methods declared on it plus those
// of the types it embeds from the same package (embedding promotes them,
// so it cannot hide a method from the count).
func methodSets(t *testing.T, dir string) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string][]string{}
	embeds := map[string][]string{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv != nil && len(d.Recv.List) == 1 {
						if name := typeName(d.Recv.List[0].Type); name != "" {
							declared[name] = append(declared[name], d.Name.Name)
						}
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						ts, ok := s.(*ast.TypeSpec)
						if !ok {
							continue
						}
						declared[ts.Name.Name] = append(declared[ts.Name.Name], []string{}...)
						switch st := ts.Type.(type) {
						case *ast.StructType:
							for _, fld := range st.Fields.List {
								if len(fld.Names) == 0 {
									embeds[ts.Name.Name] = append(embeds[ts.Name.Name], typeName(fld.Type))
								}
							}
						case *ast.InterfaceType:
							for _, m := range st.Methods.List {
								for _, n := range m.Names {
									declared[ts.Name.Name] = append(declared[ts.Name.Name], n.Name)
								}
								if len(m.Names) == 0 {
									embeds[ts.Name.Name] = append(embeds[ts.Name.Name], typeName(m.Type))
								}
							}
						}
					}
				}
			}
		}
	}
	var set func(name string, seen map[string]bool) []string
	set = func(name string, seen map[string]bool) []string {
		if seen[name] {
			return nil
		}
		seen[name] = true
		ms := slices.Clone(declared[name])
		for _, e := range embeds[name] {
			ms = append(ms, set(e, seen)...)
		}
		return ms
	}
	out := map[string][]string{}
	for name := range declared {
		out[name] = set(name, map[string]bool{})
	}
	return out
}

// typeName is the name of a receiver or embedded type of this package
// (T, *T, T[P]), or "" for another package's.
func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return typeName(e.X)
	case *ast.IndexExpr:
		return typeName(e.X)
	case *ast.IndexListExpr:
		return typeName(e.X)
	}
	return ""
}

// TestStoreTypesStaySmall checks that no type in store or the packages
// beneath it has maxMethods methods or more, and that *store.Store has
// only the methods of storeDoor.
func TestStoreTypesStaySmall(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), "store")
	dirs := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() == "testdata" {
			return err
		}
		if files, _ := filepath.Glob(filepath.Join(path, "*.go")); len(files) == 0 {
			return nil
		}
		dirs++
		dir, _ := filepath.Rel(filepath.Dir(root), path)
		for name, ms := range methodSets(t, path) {
			if len(ms) >= maxMethods {
				t.Errorf("%s: type %s has %d methods, want fewer than %d: group its verbs by entity on small view types", filepath.ToSlash(dir), name, len(ms), maxMethods)
			}
			if path == root && name == "Store" {
				checkDoor(t, ms)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dirs < 3 {
		t.Fatalf("found %d store packages under %s", dirs, root)
	}
	if _, err := os.Stat(filepath.Join(root, "tx.go")); err != nil {
		t.Fatalf("the store's transactions moved (%v): update this test", err)
	}
}

// checkDoor compares Store's methods with storeDoor.
func checkDoor(t *testing.T, methods []string) {
	t.Helper()
	sort.Strings(methods)
	for _, m := range methods {
		if !slices.Contains(storeDoor, m) {
			t.Errorf("store.Store has method %s, which is not on storeDoor: a domain verb belongs on *store.Tx (or a view of it), reached through Update or View", m)
		}
	}
	for _, m := range storeDoor {
		if !slices.Contains(methods, m) {
			t.Errorf("storeDoor lists %s, which store.Store no longer has: take it off the list", m)
		}
	}
	// About a dozen doors: the exported methods are what other packages
	// can reach.
	exported := 0
	for _, m := range storeDoor {
		if token.IsExported(m) {
			exported++
		}
	}
	if exported > 12 {
		t.Errorf("storeDoor has %d exported methods, want at most 12", exported)
	}
}
