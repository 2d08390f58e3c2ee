package connections

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

// Cadences of a programme.
const (
	cadenceWeekly      = "weekly"
	cadenceFortnightly = "fortnightly"
	cadenceMonthly     = "monthly"
)

// cadenceWords are what an admin may type for each cadence.
var cadenceWords = map[string]string{
	"weekly": cadenceWeekly, "毎週": cadenceWeekly, "週1": cadenceWeekly,
	"fortnightly": cadenceFortnightly, "biweekly": cadenceFortnightly, "隔週": cadenceFortnightly,
	"monthly": cadenceMonthly, "毎月": cadenceMonthly, "月1": cadenceMonthly,
}

// kindWords are what an admin may type for each kind.
var kindWords = map[string]string{
	"coffee": store.ConnCoffee, "コーヒー": store.ConnCoffee,
	"cafe": store.ConnCafe, "café": store.ConnCafe, "カフェ": store.ConnCafe,
	"mentor": store.ConnMentor, "メンター": store.ConnMentor,
}

// newProgramme is a programme of kind with its defaults: monthly, opt-in,
// no repeat within three rounds; pairs that take an odd third for
// coffee, groups of three or four for cafés, a six-month term with two
// mentees per mentor from another department for mentors.
func newProgramme(name, kind string) store.ConnProgramme {
	p := store.ConnProgramme{Name: name, Kind: kind, Cadence: cadenceMonthly, Size: 2, AllowThree: true, OptIn: true, Cooldown: 3, Auto: true}
	switch kind {
	case store.ConnCafe:
		p.Size = 34
	case store.ConnMentor:
		p.Size, p.AllowThree, p.Cooldown, p.CrossDepartment, p.TermMonths, p.Capacity = 2, false, 0, true, 6, 2
		p.OptIn, p.Auto = false, false
	}
	return p
}

// on reads a switch setting.
func on(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "on", "yes", "true", "1", "する", "あり", "はい":
		return true, true
	case "off", "no", "false", "0", "しない", "なし", "いいえ":
		return false, true
	}
	return false, false
}

// applySettings applies "key=value" settings to p, canonicalising
// department names through tx. An unknown key or a bad value is refused
// naming it.
func applySettings(tx *store.Tx, p *store.ConnProgramme, args []string) *bot.Error {
	ps := newPeople(tx)
	for _, arg := range args {
		k, v, ok := strings.Cut(text.Normalize(arg), "=")
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		bad := bot.Errorf(bot.CodeInvalid, "conn.error.bad_setting", "Setting", handlers.Clean(arg))
		if !ok {
			return bad
		}
		switch k {
		case "kind", "種類":
			kind, ok := kindWords[strings.ToLower(v)]
			if !ok {
				return bad
			}
			p.Kind = kind
		case "cadence", "頻度":
			c, ok := cadenceWords[strings.ToLower(v)]
			if !ok {
				return bad
			}
			p.Cadence = c
		case "size", "人数":
			switch v {
			case "2":
				p.Size = 2
			case "3-4", "34", "3〜4", "3~4":
				p.Size = 34
			default:
				return bad
			}
		case "three", "3人":
			if p.AllowThree, ok = on(v); !ok {
				return bad
			}
		case "optin", "opt-in", "希望者":
			if p.OptIn, ok = on(v); !ok {
				return bad
			}
		case "cross", "部署横断":
			if p.CrossDepartment, ok = on(v); !ok {
				return bad
			}
		case "auto", "自動":
			if p.Auto, ok = on(v); !ok {
				return bad
			}
		case "departments", "dept", "部署":
			p.Departments = nil
			for _, d := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '、' }) {
				if d = ps.dept(d); d != "" {
					p.Departments = append(p.Departments, d)
				}
			}
		case "years", "入職年":
			from, to, ok := strings.Cut(v, "-")
			var err1, err2 error
			p.JoinFrom, err1 = atoiOr0(from)
			p.JoinTo, err2 = atoiOr0(to)
			if !ok || err1 != nil || err2 != nil || (p.JoinTo != 0 && p.JoinFrom > p.JoinTo) {
				return bad
			}
		case "senior", "ベテラン":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 50 {
				return bad
			}
			p.SeniorYears = n
		case "cooldown", "間隔":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 52 {
				return bad
			}
			p.Cooldown = n
		case "term", "期間":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 36 {
				return bad
			}
			p.TermMonths = n
		case "capacity", "定員":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 20 {
				return bad
			}
			p.Capacity = n
		default:
			return bad
		}
	}
	if p.Kind == store.ConnMentor {
		p.CrossDepartment = true // a mentor from another department, always
	}
	return nil
}

// atoiOr0 reads an optional year; "" is 0 (open).
func atoiOr0(s string) (int, error) {
	if s = strings.TrimSpace(s); s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err == nil && (n < 1900 || n > 2200) {
		err = errors.New("year out of range")
	}
	return n, err
}

// addProgramme answers /soudan admin coffee add NAME [key=value ...].
func (a *Feature) addProgramme(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 || strings.Contains(m.Args[0], "=") || len(m.Args) > maxSettingArgs {
		return a.UsageError(u, "usage.admin.coffee.add")
	}
	name := handlers.Clean(m.Args[0])
	if handlers.Runes(name) > maxProgrammeName {
		return bot.Errorf(bot.CodeInvalid, "error.too_long", "Max", maxProgrammeName, "Len", handlers.Runes(name))
	}
	kind := store.ConnCoffee
	for _, arg := range m.Args[1:] {
		if k, v, _ := strings.Cut(text.Normalize(arg), "="); k == "kind" || k == "種類" {
			if kw, ok := kindWords[strings.ToLower(v)]; ok {
				kind = kw
			}
		}
	}
	var p store.ConnProgramme
	err := a.Commit(ctx, func(tx *store.Tx) error {
		p = newProgramme(name, kind)
		p.CreatedBy = u.ID
		if berr := applySettings(tx, &p, m.Args[1:]); berr != nil {
			return berr
		}
		var err error
		if p, err = tx.Connections().AddProgramme(p); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditProgrammeAdd, fmt.Sprintf("#%d %s", p.ID, p.Name))
	})
	if err := a.programmeError(err, name); err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.programme.added", "Name", p.Name), Fields: a.programmeFields(u, p)})
	return err
}

// setProgramme answers /soudan admin coffee set NAME key=value ...
func (a *Feature) setProgramme(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 2 || len(m.Args) > maxSettingArgs {
		return a.UsageError(u, "usage.admin.coffee.set")
	}
	var p store.ConnProgramme
	err := a.Commit(ctx, func(tx *store.Tx) error {
		c := tx.Connections()
		old, err := c.ProgrammeByName(m.Args[0])
		if err != nil {
			return err
		}
		var berr *bot.Error
		if p, err = c.UpdateProgramme(old.ID, func(p *store.ConnProgramme) error {
			if berr = applySettings(tx, p, m.Args[1:]); berr != nil {
				return berr
			}
			return nil
		}); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditProgrammeSet, fmt.Sprintf("#%d %s: %s", p.ID, p.Name, strings.Join(m.Args[1:], " ")))
	})
	if err := a.programmeError(err, m.Args[0]); err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.programme.set", "Name", p.Name), Fields: a.programmeFields(u, p)})
	return err
}

// programmeError turns a store error about the programme called name
// into the admin's refusal.
func (a *Feature) programmeError(err error, name string) error {
	var be *bot.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &be):
		return be
	case errors.Is(err, store.ErrExists):
		return bot.Errorf(bot.CodeConflict, "conn.error.programme_exists", "Name", handlers.Clean(name))
	case errors.Is(err, store.ErrNotFound):
		return bot.Errorf(bot.CodeNotFound, "conn.error.no_programme", "Name", handlers.Clean(name))
	case errors.Is(err, store.ErrNoName):
		return bot.Errorf(bot.CodeInvalid, "conn.error.no_name")
	}
	return fmt.Errorf("programme %s: %w", name, err)
}

// listProgrammes answers /soudan admin coffee list.
func (a *Feature) listProgrammes(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	ps, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.ConnProgramme, error) { return tx.Connections().Programmes() })
	if err != nil {
		return fmt.Errorf("list programmes: %w", err)
	}
	if len(ps) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.programme.none")})
		return err
	}
	for _, p := range ps {
		if _, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: handlers.Clean(p.Name), Fields: a.programmeFields(u, p)}); err != nil {
			return err
		}
	}
	return nil
}

// programmeFields show a programme's settings to u.
func (a *Feature) programmeFields(u store.User, p store.ConnProgramme) []bot.Field {
	yn := func(b bool) string {
		if b {
			return a.T(u, "conn.yes")
		}
		return a.T(u, "conn.no")
	}
	size := a.T(u, "conn.size.pairs")
	if p.Size == 34 {
		size = a.T(u, "conn.size.cafes")
	} else if p.AllowThree {
		size = a.T(u, "conn.size.pairs_three")
	}
	who := a.T(u, "conn.who.everyone")
	if p.OptIn {
		who = a.T(u, "conn.who.opt_in")
	}
	if len(p.Departments) > 0 {
		who += " / " + handlers.Clean(strings.Join(p.Departments, a.T(u, "people.list_sep")))
	}
	if p.JoinFrom != 0 || p.JoinTo != 0 {
		who += " / " + a.T(u, "conn.who.years", "From", yearOrBlank(p.JoinFrom), "To", yearOrBlank(p.JoinTo))
	}
	fs := []bot.Field{
		{Label: a.T(u, "conn.field.kind"), Value: a.T(u, "conn.kind."+p.Kind)},
		{Label: a.T(u, "conn.field.who"), Value: who},
	}
	if p.Kind == store.ConnMentor {
		return append(fs,
			bot.Field{Label: a.T(u, "conn.field.term"), Value: a.T(u, "conn.months", "N", p.TermMonths)},
			bot.Field{Label: a.T(u, "conn.field.capacity"), Value: a.T(u, "conn.people", "N", p.Capacity)},
		)
	}
	return append(fs,
		bot.Field{Label: a.T(u, "conn.field.cadence"), Value: a.T(u, "conn.cadence."+p.Cadence)},
		bot.Field{Label: a.T(u, "conn.field.size"), Value: size},
		bot.Field{Label: a.T(u, "conn.field.cross"), Value: yn(p.CrossDepartment)},
		bot.Field{Label: a.T(u, "conn.field.senior"), Value: seniorText(a, u, p.SeniorYears)},
		bot.Field{Label: a.T(u, "conn.field.cooldown"), Value: a.T(u, "conn.rounds", "N", p.Cooldown)},
		bot.Field{Label: a.T(u, "conn.field.auto"), Value: yn(p.Auto)},
		bot.Field{Label: a.T(u, "conn.field.rounds"), Value: strconv.Itoa(p.Rounds)},
	)
}

// seniorText is the seniority rule in words.
func seniorText(a *Feature, u store.User, years int) string {
	if years == 0 {
		return a.T(u, "conn.no")
	}
	return a.T(u, "conn.senior", "N", years)
}

// yearOrBlank is a year, or "" for an open end.
func yearOrBlank(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// programmeArg loads the programme an admin command names in its first
// argument.
func (a *Feature) programmeArg(u store.User, m *bot.Message, usageKey string) (store.ConnProgramme, error) {
	if len(m.Args) == 0 {
		return store.ConnProgramme{}, a.UsageError(u, usageKey)
	}
	name := strings.Join(m.Args, " ")
	p, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.ConnProgramme, error) { return tx.Connections().ProgrammeByName(name) })
	if err := a.programmeError(err, name); err != nil {
		return store.ConnProgramme{}, err
	}
	return p, nil
}
