package reminders

import (
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

func TestTopicKnobsOverrideTheDefaults(t *testing.T) {
	s := Stages{}.withDefaults()
	if s.RemindAfter != 8*time.Hour || s.EscalateAfter != 24*time.Hour || s.AskResolveAfter != 7*24*time.Hour || s.CloseAfter != 14*24*time.Hour {
		t.Errorf("defaults = %+v", s)
	}
	got := s.forTopic(store.Topic{RemindAfterHours: 2, CloseAfterDays: 30})
	if got.RemindAfter != 2*time.Hour || got.CloseAfter != 30*24*time.Hour || got.EscalateAfter != 24*time.Hour {
		t.Errorf("forTopic = %+v, want remind 2h, close 30d, escalate the default", got)
	}
}
