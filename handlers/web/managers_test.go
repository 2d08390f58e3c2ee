package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestManagerOfSeveralDepartmentsChoosesOne: a manager of two departments
// sees one at a time with links to each; a department they do not manage
// is refused.
func TestManagerOfSeveralDepartmentsChoosesOne(t *testing.T) {
	p := newPageEnv(t)
	uid := p.e.User("部長A").ID
	if _, err := storetest.Write(p.e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error {
			u.ManagerOf = store.DepartmentNames{"総務課", "人事課"}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.open(p.linkFor(t, "部長A"))
	page := p.srv.URL + SurveyPath(7)
	resp, body := b.get(page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<strong>総務課</strong>`) || !strings.Contains(body, `href="/report/survey/7?dept=`+url.QueryEscape("人事課")+`"`) {
		t.Fatalf("first department: got %d %q, want 総務課 current and a link to 人事課", resp.StatusCode, body)
	}
	resp, body = b.get(page + "?dept=" + url.QueryEscape("人事課"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<strong>人事課</strong>`) {
		t.Errorf("second department: got %d %q, want 人事課 current", resp.StatusCode, body)
	}
	// One department: no links.
	b2 := newBrowser(t)
	b2.open(p.linkFor(t, "部長B"))
	if _, body := b2.get(page); strings.Contains(body, "?dept=") {
		t.Errorf("a manager of one department got department links: %q", body)
	}
}

// TestENPSReadsOneWay: a chart point's title writes the eNPS as the
// tables do (+29), not as a raw number (28.57).
func TestENPSReadsOneWay(t *testing.T) {
	p := newPageEnv(t)
	b := p.signIn(t, "人事C")
	_, body := b.get(p.srv.URL + SurveyPath(7))
	if !strings.Contains(body, "2026-11: +29</title>") || strings.Contains(body, "28.57") {
		t.Errorf("the eNPS trend's point: want +29 in its title, not 28.57:\n%s", body)
	}
}
