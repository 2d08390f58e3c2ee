package reminders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Stages say when the reminder job acts on a consultation.
type Stages struct {
	// RemindAfter: unanswered for this much working time, the mentors it
	// was routed to (or the one who took it) are reminded. Default 8h.
	RemindAfter time.Duration
	// EscalateAfter: unanswered for this much working time, it is posted
	// in the topic's channel (or more mentors are asked) and the admins
	// are told. Default 24h (three working days).
	EscalateAfter time.Duration
	// AskResolveAfter: answered but idle this long, the asker is asked to
	// resolve it. Default 7 days.
	AskResolveAfter time.Duration
	// CloseAfter: answered but idle this long, it is closed with a note.
	// Default 14 days.
	CloseAfter time.Duration
}

// withDefaults fills the zero stages.
func (s Stages) withDefaults() Stages {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&s.RemindAfter, 8*time.Hour)
	def(&s.EscalateAfter, 24*time.Hour)
	def(&s.AskResolveAfter, 7*24*time.Hour)
	def(&s.CloseAfter, 14*24*time.Hour)
	return s
}

// forTopic applies a topic's own knobs.
func (s Stages) forTopic(t store.Topic) Stages {
	if t.RemindAfterHours > 0 {
		s.RemindAfter = time.Duration(t.RemindAfterHours) * time.Hour
	}
	if t.EscalateAfterHours > 0 {
		s.EscalateAfter = time.Duration(t.EscalateAfterHours) * time.Hour
	}
	if t.ResolveAfterDays > 0 {
		s.AskResolveAfter = time.Duration(t.ResolveAfterDays) * 24 * time.Hour
	}
	if t.CloseAfterDays > 0 {
		s.CloseAfter = time.Duration(t.CloseAfterDays) * 24 * time.Hour
	}
	return s
}

// Reminder stages recorded on a consultation.
const (
	stageRemind     = "remind"
	stageEscalate   = "escalate"
	stageAskResolve = "ask_resolve"
)

// Reminders is the reminder job (every 15 minutes): it reminds mentors of
// unanswered consultations, escalates the ones left unanswered longer,
// asks askers to resolve answered ones gone quiet, and closes those left
// quiet longer still. Each stage acts once per consultation per stay in
// its state; mentors paused or on leave get nothing.
func (a *Feature) Reminders(ctx context.Context, now time.Time) error {
	cs, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByState(store.StateOpen, store.StateAnswered)
	})
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	topics := map[uint64]store.Topic{}
	var errs []error
	for _, c := range cs {
		t, ok := topics[c.TopicID]
		if !ok {
			if t, err = handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(c.TopicID) }); err != nil && !errors.Is(err, store.ErrNotFound) {
				errs = append(errs, err)
				continue
			}
			topics[c.TopicID] = t
		}
		if err := a.remindOne(ctx, c, t, now); err != nil {
			errs = append(errs, fmt.Errorf("consultation %d: %w", c.ID, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	return nil
}

// remindOne runs the stage due for c, if any.
func (a *Feature) remindOne(ctx context.Context, c store.Consultation, t store.Topic, now time.Time) error {
	st := a.opt.Stages.forTopic(t)
	since := stateSince(c)
	switch c.State {
	case store.StateOpen:
		waited, err := a.Calendar.WorkingHours(since, now)
		if err != nil {
			return err
		}
		switch {
		case waited >= st.EscalateAfter && !done(c, stageEscalate, since):
			return a.escalate(ctx, c, t, since, waited, now)
		case waited >= st.RemindAfter && !done(c, stageRemind, since) && !done(c, stageEscalate, since):
			return a.remindMentors(ctx, c, t, since, waited, now)
		}
	case store.StateAnswered:
		idle := now.Sub(lastActivity(c))
		asked := done(c, stageAskResolve, since)
		switch {
		case idle >= st.CloseAfter && asked:
			return a.autoClose(ctx, c, lastActivity(c), st, now)
		case idle >= st.AskResolveAfter && !asked:
			return a.askToResolve(ctx, c, since, st, now)
		}
	}
	return nil
}

// stateSince is when c entered its current state.
func stateSince(c store.Consultation) time.Time {
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].To == c.State {
			return c.History[i].At
		}
	}
	return c.CreatedAt
}

// lastActivity is when c's newest message was posted, or it entered its
// state if later.
func lastActivity(c store.Consultation) time.Time {
	last := stateSince(c)
	for _, m := range c.Messages {
		if m.At.After(last) {
			last = m.At
		}
	}
	return last
}

// done reports whether stage was done for c since it entered its state.
func done(c store.Consultation, stage string, since time.Time) bool {
	for _, m := range c.Reminders {
		if m.Stage == stage && !m.At.Before(since) {
			return true
		}
	}
	return false
}

// stageDone queues the messages of a stage and records the stage on c
// (with change applied to c too, when not nil) in one transaction: the
// messages go out exactly when the stage is marked done. Their keys name
// the consultation, stage, state entry and recipient, so a run after a
// crash queues nothing twice either way.
func (a *Feature) stageDone(ctx context.Context, c store.Consultation, stage string, at time.Time, msgs []handlers.Outgoing, change func(*store.Consultation)) error {
	err := a.Commit(ctx, func(tx *store.Tx) error {
		if len(msgs) > 0 {
			if _, err := a.EnqueueTx(tx, nil, msgs...); err != nil {
				return err
			}
		}
		_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			if change != nil {
				change(c)
			}
			c.Reminders = append(c.Reminders, store.ReminderMark{Stage: stage, At: at})
			return nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("mark %s: %w", stage, err)
	}
	return nil
}

// stageKey is the delivery key of a stage's message to one recipient.
func stageKey(c store.Consultation, stage string, since time.Time, to string) string {
	return fmt.Sprintf("remind:%d:%s:%d:%s", c.ID, stage, since.Unix(), to)
}
