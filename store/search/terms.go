package search

import "github.com/soudan/soudan/store/text"

// Field is a text of a document, indexed with a weight: each of its terms
// counts Weight times. Counted says whether its terms count in the
// document's length (a field added after, such as a tip's learned
// words, does not, so that it leaves the document's other scores as they
// were).
type Field struct {
	Text    string
	Weight  uint64
	Counted bool
}

// Terms returns the weighted frequencies of the search terms of fields,
// and the document's weighted length: the text package's tokens (stop
// words left out) and the kana stems (text.KanaStems: 漏れ in 漏れやすい,
// so that an inflected query word finds its stem), which do not count in
// the length.
func Terms(fields []Field) (map[string]uint64, uint64) {
	tf := make(map[string]uint64)
	var n uint64
	for _, f := range fields {
		for _, tok := range text.Tokens(f.Text) {
			if !tok.Stop {
				tf[tok.Text] += f.Weight
				if f.Counted {
					n += f.Weight
				}
			}
		}
		for _, st := range text.KanaStems(f.Text) {
			tf[st.Text] += f.Weight
		}
	}
	return tf, n
}
