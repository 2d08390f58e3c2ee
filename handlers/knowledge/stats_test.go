package knowledge

import (
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// monthly reads the statistics counters of month.
func monthly(t *testing.T, st *store.Store, month string) map[string]int {
	t.Helper()
	var got map[string]int
	if err := st.View(func(tx *store.Tx) (err error) { got, err = tx.Monthly(month); return err }); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestSearchesAndTipsAreCounted: every search counts in the month's
// statistics, one with no result also as empty; a refused one does not;
// adding a tip counts, editing it does not.
func TestSearchesAndTipsAreCounted(t *testing.T) {
	e := newEnv(t)
	id := addTip(t, e, "佐藤", "VPN に接続できない", "VPN クライアントを更新してから再接続します。", "IT・Teams", "")
	e.Cmd("田中", "/soudan tip search VPN")
	e.Cmd("田中", "/soudan tip 量子コンピュータ")
	e.Cmd("田中", "/soudan tip search -n 0 VPN") // refused
	sid := strconv.FormatUint(id, 10)
	e.Do(bottest.Submit("佐藤", testenv.DM("佐藤"), formTip, sid, map[string]string{"title": "VPN に接続できないとき", "body": "再接続します。"}))
	month := e.Now().In(e.Kit.Config.Location).Format("2006-01")
	got := monthly(t, e.St, month)
	if got[store.StatSearches] != 2 || got[store.StatSearchEmpty] != 1 || got[store.StatTipsAdded] != 1 {
		t.Errorf("counters of %s = %v, want searches 2, search_empty 1, tips_added 1", month, got)
	}
}

// TestSearchCountCostsNoCommit: counting a search shares the commit that
// marks the event done, so a search costs one commit, as before it was
// counted.
func TestSearchCountCostsNoCommit(t *testing.T) {
	e := newEnv(t)
	addTip(t, e, "佐藤", "VPN に接続できない", "VPN クライアントを更新してから再接続します。", "IT・Teams", "")
	e.Cmd("田中", "/soudan tip search VPN") // 田中 is met: their record is written once
	before := e.St.Commits()
	got := reply(t, e.Cmd("田中", "/soudan tip search 再接続"))
	if !strings.Contains(got, "VPN") {
		t.Fatalf("search = %q, want the tip", got)
	}
	if n := e.St.Commits() - before; n != 1 {
		t.Errorf("a search made %d commits, want 1 (the event's done mark, with the count)", n)
	}
}
