package surveydef

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to both parsers: they must never panic,
// and whatever they accept must be a valid definition. Seeds: the files in
// testdata/ and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []string{FormatTOML, FormatYAML} {
			d, err := Parse(format, data)
			if err != nil {
				continue
			}
			if err := Validate(d); err != nil {
				t.Errorf("%s accepted an invalid definition: %v\n%q", format, err, data)
			}
		}
	})
}
