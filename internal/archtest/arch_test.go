// Package archtest checks the dependency rules of DESIGN.md on the real
// import graph (go list, tests included), so that a change that breaks
// them fails the tests, not a review.
package archtest

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/soudan/soudan"

// pkg is what go list tells of a package.
type pkg struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
}

// touchSources opens every Go file of the module, so that go test's
// cache, which knows the files a test opens but not what a command it
// runs reads, runs this test again when any import changes.
func touchSources(t *testing.T) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err == nil {
			f.Close()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// packages lists every package of the module.
func packages(t *testing.T) []pkg {
	t.Helper()
	touchSources(t)
	cmd := exec.Command("go", "list", "-json", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; is the module root right?", len(pkgs))
	}
	return pkgs
}

// rel is a path of ours without the module prefix, or "" for another's.
func rel(path string) string {
	if path == module {
		return "."
	}
	r, ok := strings.CutPrefix(path, module+"/")
	if !ok {
		return ""
	}
	return r
}

// under reports whether path is dir or beneath it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// kit are the handlers packages every feature may use: the kit itself.
// Its delivery and intake infrastructure is internal/outbox and
// internal/inbox, below it.
var kit = []string{"handlers"}

// leaves are the pure packages of DESIGN.md: they import nothing of ours
// but store/text, and every package may use them (a leaf under handlers
// is not a feature).
var leaves = []string{"store/text", "store/search", "handlers/figures", "handlers/connections/pairing"}

// leaf is the leaf path is in, or "".
func leaf(path string) string {
	for _, l := range leaves {
		if under(path, l) {
			return l
		}
	}
	return ""
}

// feature is the feature of a handlers package ("handlers/survey/surveydef"
// -> "survey"), or "" for the kit and the leaves.
func feature(path string) string {
	if leaf(path) != "" {
		return ""
	}
	for _, k := range kit {
		if under(path, k) && (k != "handlers" || path == "handlers") {
			return ""
		}
	}
	rest, ok := strings.CutPrefix(path, "handlers/")
	if !ok {
		return ""
	}
	f, _, _ := strings.Cut(rest, "/")
	return f
}

func TestDependencyRules(t *testing.T) {
	for _, p := range packages(t) {
		from := rel(p.ImportPath)
		all := map[string]string{}
		for _, kind := range []struct {
			name string
			list []string
		}{{"imports", p.Imports}, {"test imports", p.TestImports}, {"test imports", p.XTestImports}} {
			for _, imp := range kind.list {
				if to := rel(imp); to != "" {
					all[to] = kind.name
				}
			}
		}
		for to, how := range all {
			switch {
			case under(to, "cmd"):
				t.Errorf("%s %s %s: nothing imports cmd", from, how, to)
			case from == "bot" && to != "bot" && !(how == "test imports" && to == "bot/bottest"):
				t.Errorf("%s %s %s: bot imports nothing of ours", from, how, to)
			case under(from, "bot") && (under(to, "handlers") || under(to, "store") || under(to, "internal")):
				t.Errorf("%s %s %s: adapters (and their tests) never import handlers, store or internal", from, how, to)
			case (from == "bot/slack" || from == "bot/teams" || from == "bot/console") && under(to, "bot/") && !under(to, from) && to != "bot/bottest":
				t.Errorf("%s %s %s: siblings under bot never import each other", from, how, to)
			case under(from, "store") && (under(to, "handlers") || under(to, "bot")):
				t.Errorf("%s %s %s: the store knows nothing of handlers or chat", from, how, to)
			case (from == "store/kv" || from == "store/kv/kvtest") && to != "store/kv":
				t.Errorf("%s %s %s: the key-value seam imports nothing of ours", from, how, to)
			case under(from, "store/kv") && !underSeam(from, to, how):
				t.Errorf("%s %s %s: an engine under store/kv knows only the seam", from, how, to)
			case (under(from, "internal/inbox") || under(from, "internal/outbox")) && (under(to, "handlers") || under(to, "scheduler")):
				t.Errorf("%s %s %s: delivery infrastructure sits below the kit and the features", from, how, to)
			case leaf(from) != "" && leaf(to) != leaf(from) && to != "store/text":
				t.Errorf("%s %s %s: %s is a leaf (it imports nothing of ours but store/text)", from, how, to, leaf(from))
			case under(from, "handlers") && under(to, "handlers"):
				if f, g := feature(from), feature(to); f != "" && g != "" && f != g {
					t.Errorf("%s %s %s: feature %s imports feature %s (declare an interface; cmd wires)", from, how, to, f, g)
				}
			}
		}
	}
}

// TestSearchIsPure: store/search, the ranking and index code, imports the
// standard library and store/text only (its tests too): no key-value
// seam, no bbolt, no transaction, so it runs and is tested on a corpus in
// memory, and a second engine under the store changes nothing in it.
// underSeam reports whether from, a package under store/kv, may import
// to: the seam and its conformance suite, its own engine's packages
// (pgkv's test harness and cluster), and, in the tests of a test-only
// decorator (decorators), the engines it runs over: the guard must let
// bbolt's batches through, the retry injector must roll back an attempt
// on bbolt and on PostgreSQL alike.
func underSeam(from, to, how string) bool {
	engine := func(p string) string {
		rest, _ := strings.CutPrefix(p, "store/kv/")
		e, _, _ := strings.Cut(rest, "/")
		return e
	}
	switch {
	case to == "store/kv" || to == "store/kv/kvtest":
		return true
	case from == "store/kv" || from == "store/kv/kvtest":
		return false
	case under(to, "store/kv") && engine(to) == engine(from):
		return true
	}
	return decorators[from] && how == "test imports" && (to == "store/kv/boltkv" || under(to, "store/kv/pgkv"))
}

// decorators are the kv.DB decorators package store wraps every database
// with in test binaries: not engines, and a no-op in the product.
var decorators = map[string]bool{"store/kv/kvguard": true, "store/kv/kvretry": true}

func TestSearchIsPure(t *testing.T) {
	found := false
	for _, p := range packages(t) {
		if !under(rel(p.ImportPath), "store/search") {
			continue
		}
		found = true
		for _, imps := range [][]string{p.Imports, p.TestImports, p.XTestImports} {
			for _, imp := range imps {
				std := !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".")
				if !std && imp != module+"/store/text" && !under(rel(imp), "store/search") {
					t.Errorf("%s imports %s: store/search imports the standard library and store/text only", p.ImportPath, imp)
				}
			}
		}
	}
	if !found {
		t.Error("no package store/search")
	}
}

func TestFeatureOf(t *testing.T) {
	for path, want := range map[string]string{
		"handlers":        "",
		"handlers/survey": "survey", "handlers/survey/surveydef": "survey", "handlers/knowledge/tipfile": "knowledge", "handlers/web": "web",
		"handlers/figures": "", "handlers/connections/pairing": "",
	} {
		if got := feature(path); got != want {
			t.Errorf("feature(%q) = %q, want %q", path, got, want)
		}
	}
}

// bbolt is the embedded engine's module.
const bbolt = "go.etcd.io/bbolt"

// engineFiles are the files of package store that may name bbolt: opening,
// checking (damaged.go), locking and compacting the file, the operations an embedded engine has
// and the key-value seam does not. Every entity file reaches the data
// through store/kv.
var engineFiles = map[string]bool{"db.go": true, "files.go": true, "damaged.go": true, "lock_other.go": true, "backup.go": true}

// TestBboltStaysBehindTheSeam: bbolt is imported by its engine
// (store/kv/boltkv), by the store's file operations, and by tools under
// cmd that measure it; by nothing else. In the store, only the file
// operations and tests that build old or foreign files by hand name it,
// so a second engine (issue 22) needs no change in the entity files.
func TestBboltStaysBehindTheSeam(t *testing.T) {
	for _, p := range packages(t) {
		from := rel(p.ImportPath)
		if from == "store/kv/boltkv" || from == "store" || under(from, "cmd") {
			continue
		}
		lists := [][]string{p.Imports, p.TestImports, p.XTestImports}
		if decorators[from] {
			// Their tests open bbolt files the way boltkv's do, to run
			// the decorator over a real engine's batches; the decorator
			// itself does not name bbolt.
			lists = lists[:1]
		}
		for _, list := range lists {
			for _, imp := range list {
				if under(imp, bbolt) {
					t.Errorf("%s imports %s: reach the data through store.Tx (or store/kv in the store)", from, imp)
				}
			}
		}
	}
	for name, imps := range storeImports(t) {
		if engineFiles[name] {
			continue
		}
		for _, path := range imps {
			if under(path, bbolt) {
				t.Errorf("store/%s imports %s: entity files use store/kv; only %v may name bbolt", name, path, engineFiles)
			}
		}
	}
}

// TestStoreChoosesNoEngine: package store sees its data through the
// seam (store/kv) and picks no engine; cmd and the tools do, through
// store.Open (a bbolt file) or store.OpenDB (store/pgstore for
// PostgreSQL). What store may import under store/kv is the seam, the
// test-only decorators over it (kvguard, kvretry: not engines),
// and in its file operations (engineFiles) bbolt's engine, boltkv: a
// file is what the store opens on a path, backs up and compacts, so that
// engine stays honest here rather than hidden. Tests may open any engine.
func TestStoreChoosesNoEngine(t *testing.T) {
	for name, imps := range storeImports(t) {
		for _, imp := range imps {
			to := rel(imp)
			if !under(to, "store/kv") || to == "store/kv" || decorators[to] {
				continue
			}
			if to == "store/kv/boltkv" && engineFiles[name] {
				continue
			}
			t.Errorf("store/%s imports %s: the store knows the seam store/kv only (and boltkv in %v); "+
				"who opens the store chooses the engine (store.OpenDB)", name, to, engineFiles)
		}
	}
}

// storeImports maps each non-test Go file of package store to its
// imports.
func storeImports(t *testing.T) map[string][]string {
	t.Helper()
	touchSources(t)
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), "store")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) < 20 {
		t.Fatalf("store's files: %d, %v", len(files), err)
	}
	fset := token.NewFileSet()
	imports := map[string][]string{}
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		imports[name] = []string{}
		for _, imp := range ast.Imports {
			imports[name] = append(imports[name], strings.Trim(imp.Path.Value, `"`))
		}
	}
	return imports
}

// sdks are the chat platforms' libraries and the adapter that owns each.
var sdks = map[string]string{
	"github.com/slack-go/slack":               "bot/slack",
	"github.com/infracloudio/msbotbuilder-go": "bot/teams",
}

// TestAdaptersOwnTheirSDK: a chat platform's library is used by its
// adapter alone (a capability another package needs, like finding a
// Slack user by email for an import, is the adapter's: bot.EmailLookup).
// Tests that fake a platform may use it.
func TestAdaptersOwnTheirSDK(t *testing.T) {
	for _, p := range packages(t) {
		from := rel(p.ImportPath)
		for _, imp := range p.Imports {
			for sdk, owner := range sdks {
				if under(imp, sdk) && !under(from, owner) {
					t.Errorf("%s imports %s: only %s may (add a capability there)", from, imp, owner)
				}
			}
		}
	}
}

// throughTheDoor are the features that reach the store only through the
// kit (View, Read, Commit: every save of an event in its one transaction
// with the event's done mark). The others still call the store's
// one-transaction wrappers (store_verbs.go) as they move over; a feature
// on the list that names the kit's Store fails, and one off the list that
// no longer does must join it, so the list only grows.
var throughTheDoor = map[string]bool{"admin": true, "broadcast": true, "connections": true, "consult": true, "demo": true, "help": true, "knowledge": true, "mentors": true, "reminders": true, "stats": true, "survey": true, "web": true}

// storeType is the store's handle named as a type.
var storeType = regexp.MustCompile(`\bstore\.Store\b`)

// TestFeaturesThroughTheDoor checks throughTheDoor on the features' own
// (non-test) files, and that no feature names store.Store.
func TestFeaturesThroughTheDoor(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), "handlers")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, d := range dirs {
		name := d.Name()
		if !d.IsDir() || leaf("handlers/"+name) != "" || name == "locales" || name == "testdata" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(root, name, "*.go"))
		uses := 0
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			uses += strings.Count(string(b), ".Store.")
			if named := storeType.FindAllIndex(b, -1); len(named) > 0 {
				t.Errorf("%s names store.Store: a feature gets transactions from the kit (View, Read, Commit) or handlers.Transactions", f)
			}
		}
		seen++
		switch {
		case throughTheDoor[name] && uses > 0:
			t.Errorf("handlers/%s names the kit's Store %d times: it reaches the store through View, Read and Commit only", name, uses)
		case !throughTheDoor[name] && uses == 0:
			t.Errorf("handlers/%s no longer names the kit's Store: add it to throughTheDoor", name)
		}
	}
	if seen < 10 {
		t.Fatalf("found %d features under %s", seen, root)
	}
}
