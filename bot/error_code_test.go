package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"strings"
	"testing"
)

// TestCodeIsClosed: a Code is made in this package only. Composite
// literals of Code elsewhere do not compile (its field is unexported);
// here, only the declared values make one, and each has its own name.
func TestCodeIsClosed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "error.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		if cl, ok := vs.Values[0].(*ast.CompositeLit); ok {
			if id, ok := cl.Type.(*ast.Ident); ok && id.Name == "Code" {
				lit := cl.Elts[0].(*ast.BasicLit).Value
				if other, dup := names[lit]; dup {
					t.Errorf("%s and %s share the code %s", other, vs.Names[0].Name, lit)
				}
				names[lit] = vs.Names[0].Name
			}
		}
		return true
	})
	if len(names) < 8 {
		t.Fatalf("found %d codes in error.go, want the 8 a user can be refused with and codeSkip", len(names))
	}
}

// TestCodeLogs: a code logs and prints as its name.
func TestCodeLogs(t *testing.T) {
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("refused", "code", CodeNotFound)
	if !strings.Contains(b.String(), "code=not_found") {
		t.Errorf("log line %q, want code=not_found", b.String())
	}
	if got := Errorf(CodeConflict, "k").Error(); got != "conflict" {
		t.Errorf("Error() = %q, want conflict", got)
	}
}
