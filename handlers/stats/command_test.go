package stats

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestOnlyAdmins: a member who is not an admin is refused and sees no
// figure.
func TestOnlyAdmins(t *testing.T) {
	e := fixture(t)
	for _, line := range []string{"/soudan stats", "/soudan stats 2026-11", "/soudan 統計"} {
		got := e.Refused(bottest.Command("田中", line))
		if strings.Contains(got, "受付") || strings.Contains(got, "キャリア") {
			t.Errorf("%s by a member = %q, want a refusal with no figure", line, got)
		}
	}
}

// TestBadMonth: a month that does not parse, one to come, or more words
// get a localized message (the command writes nothing anyway).
func TestBadMonth(t *testing.T) {
	e := fixture(t)
	e.OK(bottest.Command("admin", "/soudan stats"))
	for _, tc := range []struct{ arg, key string }{
		{"2026-13", "stats.error.bad_month"},
		{"november", "stats.error.bad_month"},
		{"26-11", "stats.error.bad_month"},
		{"2026-00", "stats.error.bad_month"},
		{"2027-01", "stats.error.future"},
		{"２０２７年１月", "stats.error.future"},
	} {
		got := e.Refused(bottest.Command("admin", "/soudan stats "+tc.arg))
		if want := e.Refusal("ja", tc.key, "Arg", tc.arg, "Month", "2027-01"); strings.TrimSpace(got) != want {
			t.Errorf("stats %s = %q, want %q", tc.arg, got, want)
		}
	}
	if got, want := e.Refused(bottest.Command("admin", "/soudan stats 2026-11 2026-10")), e.Kit.T(e.Known("admin"), "usage.stats"); !strings.Contains(got, want) {
		t.Errorf("two months = %q, want the usage %q", got, want)
	}
}

// TestBadMonthEnglish: the usage error speaks the admin's language.
func TestBadMonthEnglish(t *testing.T) {
	e := fixture(t)
	e.OK(bottest.Command("admin", "/soudan stats"))
	uid := e.Known("admin").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Locale = "en"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	got := e.Refused(bottest.Command("admin", "/soudan stats 2026/13"))
	if want := e.Refusal("en", "stats.error.bad_month", "Arg", "2026/13"); strings.TrimSpace(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestMonthlyReportOnce: the job on 1 December sends November's report to
// every admin, each in their language, once: run again, and twice at
// once, it sends nothing more.
func TestMonthlyReportOnce(t *testing.T) {
	e := fixture(t)
	e.OK(bottest.Command("admin", "/soudan stats"))
	boss := e.User("boss")
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) { return tx.Users().SetRole(boss.ID, store.RoleAdmin, true) }); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(boss.ID, func(u *store.User) error { u.Locale = "en"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	before := len(e.Ad.Sent())
	now := at(time.December, 1, 9, 0)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.f.MonthlyReport(context.Background(), now); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Another run of the same month, as after a restart: nothing more.
	again := New(e.Kit, Options{})
	if err := again.MonthlyReport(context.Background(), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	sent := e.Ad.Sent()[before:]
	byUser := map[string]string{}
	for _, d := range sent {
		byUser[d.To.User] += d.Reply.Text
	}
	if len(sent) != 2 || len(byUser) != 2 {
		t.Fatalf("sent %d messages to %v, want one to each of the 2 admins", len(sent), byUser)
	}
	if s := byUser["admin"]; !strings.Contains(s, "先月（2026-11）") || !strings.Contains(s, "受付 7 件") {
		t.Errorf("admin got %q, want November's report in Japanese", s)
	}
	if s := byUser["boss"]; !strings.Contains(s, "last month's (2026-11)") || !strings.Contains(s, "7 opened") {
		t.Errorf("boss got %q, want November's report in English", s)
	}
	// January's run reports December, once.
	if err := e.f.MonthlyReport(context.Background(), time.Date(2027, 1, 1, 9, 0, 0, 0, jst)); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	if n := len(e.Ad.Sent()) - before; n != 4 {
		t.Errorf("after January's run %d messages, want 4", n)
	}
}
