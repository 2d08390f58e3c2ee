package survey

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// auditInvite is the audit action of inviting late joiners to a round.
const auditInvite = "survey.invite"

// inviteCommand answers /soudan survey invite ROUND|SURVEY: it invites to
// an open round the people its audience takes in now whom it has not
// invited (people added or given a department or join year after it
// opened), each with the usual DM; their answers count like everyone's.
// The invitations, the prompts and the audit entry are one commit.
func (a *Feature) inviteCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) != 1 {
		return a.UsageError(u, "usage.survey.invite")
	}
	var round store.SurveyRound
	var added []store.SurveyInvite
	err := a.Commit(ctx, func(tx *store.Tx) error {
		var err error
		if round, err = a.roundNamed(tx, m.Args[0]); err != nil {
			return err
		}
		if !round.Open() {
			return bot.Errorf(bot.CodeConflict, "survey.error.already_closed", "Round", round.ID)
		}
		sp, berr := parseSpec(splitSpec(round.Audience))
		if berr != nil {
			return fmt.Errorf("round %d audience %q: %w", round.ID, round.Audience, berr)
		}
		// The audience as it was when the round opened (years and tenure
		// bands by its date), over the people known now.
		p, err := a.plan(tx, sp, round.OpenedAt)
		if err != nil {
			return err
		}
		if round, added, err = tx.Surveys().InviteToRound(round.ID, p.invites); err != nil {
			return err
		}
		if len(added) == 0 {
			return nil
		}
		invited := map[uint64]bool{}
		for _, in := range added {
			invited[in.UserID] = true
		}
		var msgs []handlers.Outgoing
		for _, pu := range p.users {
			if invited[pu.ID] {
				reply := a.prompt(pu, round, "")
				msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(pu), Reply: reply, Key: reply.Key})
			}
		}
		if _, err := a.EnqueueTx(tx, &store.OutboxBatch{Kind: batchPrompts, CreatedBy: u.ID, Label: round.SurveyID + " " + round.Period + " +"}, msgs...); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditInvite, fmt.Sprintf("round %d: %s %s, %d more invited, %d in all", round.ID, round.SurveyID, round.Period, len(added), round.Invited))
	})
	if err != nil {
		return err
	}
	key := "survey.invited"
	if len(added) == 0 {
		key = "survey.invited_none"
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key, "ID", round.ID, "Period", round.Period, "Count", len(added), "Invited", round.Invited,
		"Audience", a.audienceOf(u, round))})
	return err
}

// audienceOf says who round asks, in u's language.
func (a *Feature) audienceOf(u store.User, round store.SurveyRound) string {
	sp, _ := parseSpec(splitSpec(round.Audience))
	return a.audienceLabel(u, sp)
}

// roundNamed is the round an argument names: "12" or "#12" a round by
// number, else a survey's latest round.
func (a *Feature) roundNamed(tx *store.Tx, arg string) (store.SurveyRound, error) {
	arg = text.Normalize(arg)
	if id, err := strconv.ParseUint(strings.TrimPrefix(arg, "#"), 10, 64); err == nil {
		round, err := tx.Surveys().Round(id)
		if errors.Is(err, store.ErrNotFound) {
			return round, bot.Errorf(bot.CodeNotFound, "survey.error.no_round", "Round", id)
		}
		return round, err
	}
	return a.findRound(tx, arg, "")
}
