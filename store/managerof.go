package store

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/soudan/soudan/store/text"
)

// DepartmentNames are the departments a manager manages, by name. A record
// written before a manager could hold several stores one name as a JSON
// string; it reads as a list of that one name.
type DepartmentNames []string

// UnmarshalJSON reads a list of names, or one name as a string.
func (d *DepartmentNames) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = nil
		if text.Fold(s) != "" {
			*d = DepartmentNames{s}
		}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*d = list
	return nil
}

// With is d and name, unless d names it already (text.SameName).
func (d DepartmentNames) With(name string) DepartmentNames {
	if slices.ContainsFunc(d, func(x string) bool { return text.SameName(x, name) }) {
		return d
	}
	return append(slices.Clone(d), name)
}

// Without is d without name (text.SameName).
func (d DepartmentNames) Without(name string) DepartmentNames {
	out := slices.DeleteFunc(slices.Clone(d), func(x string) bool { return text.SameName(x, name) })
	if len(out) == 0 {
		return nil
	}
	return out
}
