package figures

// Page is a closed round's report as the report pages show it: the
// figures of its release (never anything else) restricted to what the
// viewer may see, with the names of things in the viewer's language. The
// survey feature builds it; the web package draws it.
type Page struct {
	RoundID  uint64
	SurveyID string
	Title    string // the survey's title
	Period   string // "2026-11"
	K        int    // the minimum group size
	By       string // the breakdown: "department" or "tenure"
	// Only is the one group the viewer may see (a manager's department);
	// "" when they may see every group.
	Only   string
	Items  []PageItem
	Result Figures // Groups holds only the groups the viewer may see
	// Labels name the groups of Figures by key.
	Labels map[string]string
	// Trend is the last rounds up to this one, oldest first.
	Trend []TrendPoint
	// Prev is the previous closed round of the survey, by the same
	// breakdown, for the change since then (as the chat report has it):
	// the organisation and, for a viewer restricted to one group, that
	// group's. nil on a first round.
	Prev *TrendPoint
}

// PageItem is an item of the survey that has figures.
type PageItem struct {
	ID    string
	Kind  string // Scale0to10, Scale1to5 or Choice
	Title string
	// Short is the item's short title for column heads and legends; ""
	// when the survey gives none (Label falls back to Title).
	Short string
	// Options name a choice item's options, in order.
	Options []PageOption
}

// Label is what heads the item's column or legend entry: its short
// title, else its title.
func (it PageItem) Label() string {
	if it.Short != "" {
		return it.Short
	}
	return it.Title
}

// PageOption is an option of a choice item.
type PageOption struct{ ID, Title string }

// TrendPoint is one round of a trend: the organisation's figures and,
// for a viewer restricted to one group, that group's; for a viewer who
// may see every group, every group of that round's release (Groups, by
// the page's breakdown), each as that round published it.
type TrendPoint struct {
	Period string
	Org    GroupFigures
	Group  *GroupFigures
	Groups []GroupFigures
}

// RoundRef names a closed round whose report a viewer may read.
type RoundRef struct {
	ID       uint64
	SurveyID string
	Title    string
	Period   string
}
