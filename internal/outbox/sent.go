package outbox

import (
	"fmt"
	"strconv"
	"strings"
)

// Sent names what to record once a message was delivered: a kind a
// feature registered (handlers.Kit.HandleSent) and the ids its function
// needs, e.g. Sent{Kind: "consult.thread", IDs: []uint64{12, 5}}. The zero
// Sent records nothing. Features build and read it as a value; only this
// file knows how an outbox item keeps it ("consult.thread:12:5", the form
// items queued before it existed were stored in too).
type Sent struct {
	Kind string
	IDs  []uint64
}

// IsZero reports that s records nothing.
func (s Sent) IsZero() bool { return s.Kind == "" }

// String is s as an outbox item keeps it.
func (s Sent) String() string {
	if s.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteString(s.Kind)
	for _, id := range s.IDs {
		b.WriteByte(':')
		b.WriteString(strconv.FormatUint(id, 10))
	}
	return b.String()
}

// ParseSent reads what String wrote.
func ParseSent(s string) (Sent, error) {
	kind, rest, more := strings.Cut(s, ":")
	if kind == "" {
		return Sent{}, fmt.Errorf("on sent %q: no kind", s)
	}
	out := Sent{Kind: kind}
	for more {
		var part string
		part, rest, more = strings.Cut(rest, ":")
		id, err := strconv.ParseUint(part, 10, 64)
		if err != nil {
			return Sent{}, fmt.Errorf("on sent %q: %q is not an id", s, part)
		}
		out.IDs = append(out.IDs, id)
	}
	return out, nil
}
