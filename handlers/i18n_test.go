package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// catalogKeys reads every locales/*.LANG.toml file into one key set.
func catalogKeys(t *testing.T, lang string) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	files, err := fs.Glob(localeFS, "locales/*."+lang+".toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s catalogs (err %v)", lang, err)
	}
	for _, f := range files {
		data, _ := localeFS.ReadFile(f)
		var m map[string]any
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k := range m {
			if keys[k] {
				t.Errorf("%s: key %q defined twice in %s catalogs", f, k, lang)
			}
			keys[k] = true
		}
	}
	return keys
}

func TestCatalogsHaveSameKeys(t *testing.T) {
	ja, en := catalogKeys(t, "ja"), catalogKeys(t, "en")
	for k := range ja {
		if !en[k] {
			t.Errorf("key %q is in ja but missing from en", k)
		}
	}
	for k := range en {
		if !ja[k] {
			t.Errorf("key %q is in en but missing from ja", k)
		}
	}
}

// keyArg says which argument of a call is a catalog key.
var keyArg = map[string]int{"T": 1, "t": 1, "TL": 1, "TM": 1, "tm": 1, "Errorf": 1, "NotifyAdmins": 2, "tellAsker": 2, "UsageError": 1, "ListText": 2, "Tr": 0}

// usedKeys finds every catalog key written as a literal in the kit and
// the feature packages beneath it:
// key arguments of the localizing calls, and UsageKey fields.
func usedKeys(t *testing.T) map[string]token.Position {
	t.Helper()
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	sub, _ := filepath.Glob("*/*.go")
	files = append(files, sub...)
	used := map[string]token.Position{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		lit := func(e ast.Expr) {
			if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
				if s, err := strconv.Unquote(b.Value); err == nil && !strings.HasSuffix(s, ".") {
					used[s] = fset.Position(b.Pos())
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if i, ok := keyArg[name]; ok && i < len(n.Args) {
					lit(n.Args[i])
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && (id.Name == "UsageKey" || id.Name == "MsgKey") {
					lit(n.Value)
				}
			}
			return true
		})
	}
	return used
}

func TestEveryKeyUsedExists(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d key literals; the scanner is broken", len(used))
	}
	for _, lang := range languages {
		keys := catalogKeys(t, lang)
		var missing []string
		for k, pos := range used {
			if !keys[k] {
				missing = append(missing, pos.String()+": "+k)
			}
		}
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s catalog lacks a key used at %s", lang, m)
		}
	}
}

func TestEveryMessageRenders(t *testing.T) {
	c, err := loadCatalog("ja")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		for k := range catalogKeys(t, lang) {
			if got := c.t(lang, k); got == k || got == "" {
				t.Errorf("%s %q renders as %q", lang, k, got)
			}
		}
	}
}

func TestLangOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ja", "ja"}, {"ja-JP", "ja"}, {"ja_JP", "ja"}, {"en-US", "en"}, {"EN", "en"}, {"fr-FR", "ja"}, {"", "ja"}, {"jav", "ja"},
	} {
		if got := LangOf(tc.in, "ja"); got != tc.want {
			t.Errorf("LangOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
