package web

import (
	"net/http"
	"time"

	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// homeView is the list of pages a person may see.
type homeView struct {
	Rounds []figures.RoundRef
	Months []string // programme months, newest first; admins only
	Name   string
	// Connections is the current quarter ("2026-Q4") when the viewer may
	// see the connections figures, "" otherwise.
	Connections string
}

// home answers /report/: the rounds and months the viewer may open.
func (a *Feature) home(w http.ResponseWriter, r *http.Request, u store.User) {
	hv := homeView{Name: u.Name}
	if a.opt.Surveys != nil {
		rounds, err := a.opt.Surveys.ReportRounds(r.Context(), u)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		hv.Rounds = rounds
	}
	if a.opt.Programme != nil && u.HasRole(store.RoleAdmin) {
		now := a.Now().In(a.Config.Location)
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, a.Config.Location)
		for i := range 12 {
			hv.Months = append(hv.Months, first.AddDate(0, -i, 0).Format("2006-01"))
		}
	}
	q, err := a.connectionsHome(r.Context(), u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	hv.Connections = q
	v := a.viewFor(u, "", hv)
	v.Title = v.Tr("web.home.title")
	a.render(w, r, http.StatusOK, "home", v)
}
