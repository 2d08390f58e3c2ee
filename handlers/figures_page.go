package handlers

// SurveyPage is a closed round's report as the report pages show it: the
// figures of ComputeFigures (never anything else) restricted to what the viewer
// may see, with the names of things in the viewer's language. The survey
// feature builds it; the web package draws it.
type SurveyPage struct {
	RoundID  uint64
	SurveyID string
	Title    string // the survey's title
	Period   string // "2026-11"
	K        int    // the minimum group size
	By       string // the partition: "department" or "tenure"
	// Only is the one group the viewer may see (a manager's department);
	// "" when they may see every group.
	Only   string
	Items  []SurveyPageItem
	Result Figures // Groups holds only the groups the viewer may see
	// Labels name the groups of Figures by key.
	Labels map[string]string
	// Trend is the last rounds up to this one, oldest first.
	Trend []SurveyTrendPoint
}

// SurveyPageItem is an item of the survey that has figures.
type SurveyPageItem struct {
	ID    string
	Kind  string // store.ItemScale0to10, store.ItemScale1to5 or store.ItemChoice
	Title string
	// Options name a choice item's options, in order.
	Options []SurveyPageOption
}

// SurveyPageOption is an option of a choice item.
type SurveyPageOption struct{ ID, Title string }

// SurveyTrendPoint is one round of a trend: the organisation's figures and,
// for a viewer restricted to one group, that group's.
type SurveyTrendPoint struct {
	Period string
	Org    GroupFigures
	Group  *GroupFigures
}

// SurveyRoundRef names a closed round whose report a viewer may read.
type SurveyRoundRef struct {
	ID       uint64
	SurveyID string
	Title    string
	Period   string
}
