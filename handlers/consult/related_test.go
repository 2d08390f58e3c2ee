package consult

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// slowTips answers RelatedTips only after its context ends: a search
// slower than the budget.
type slowTips struct{ asked chan string }

func (s slowTips) RelatedTips(ctx context.Context, text, lang string, n int) ([]store.Tip, error) {
	s.asked <- text
	<-ctx.Done()
	time.Sleep(50 * time.Millisecond)
	return []store.Tip{{ID: 1, Title: "遅すぎたヒント"}}, nil
}

// TestRelatedTipsTooSlowAreLeftOut: a question whose related-tip search
// outlasts relatedBudget is acknowledged without tips, in about the
// budget.
func TestRelatedTipsTooSlowAreLeftOut(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, testenv.Options{Now: consultNow})
	slow := slowTips{asked: make(chan string, 1)}
	f, err := New(e.Kit, Options{Related: slow})
	if err != nil {
		t.Fatal(err)
	}
	e.Register(f)
	start := time.Now()
	turn := e.OK(bottest.DM("田中", "VPN に接続できません"))
	took := time.Since(start)
	if got := <-slow.asked; got != "VPN に接続できません" {
		t.Errorf("asked about %q", got)
	}
	if strings.Contains(turn.Text(), "遅すぎたヒント") || len(turn.Replies[0].Buttons) != 1 {
		t.Errorf("acknowledgement = %q %+v, want no related tips", turn.Text(), turn.Replies[0].Buttons)
	}
	if took > relatedBudget+2*time.Second {
		t.Errorf("the question took %v, want about %v", took, relatedBudget)
	}
}
