package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestHelpHidesAdminCommandsFromMembers(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Cmd("admin", "/soudan help")
	for _, tc := range []struct {
		user, line string
		admin      bool
	}{
		{"山田", "/soudan help", false},
		{"山田", "/soudan ヘルプ", false},
		{"山田", "/soudan ？", false},
		{"admin", "/soudan help", true},
	} {
		turn := e.Cmd(tc.user, tc.line)
		if len(turn.Replies) != 1 {
			t.Fatalf("%s %s: replies = %q, want one", tc.user, tc.line, testenv.ReplyTexts(turn))
		}
		text := turn.Replies[0].Text
		for _, key := range []string{"usage.help", "usage.ask", "usage.mine", "usage.mentors", "usage.mentor.register", "usage.profile"} {
			if want := e.Kit.TL("ja", key); !strings.Contains(text, want) {
				t.Errorf("%s %s: help lacks %s %q", tc.user, tc.line, key, want)
			}
		}
		for _, key := range []string{"help.admin_header", "usage.admin.grant", "usage.admin.topic.map", "usage.admin.audit"} {
			if got := strings.Contains(text, e.Kit.TL("ja", key)); got != tc.admin {
				t.Errorf("%s %s: help shows %s = %v, want %v", tc.user, tc.line, key, got, tc.admin)
			}
		}
	}
}

func TestHelpForOneCommand(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	turn := e.Cmd("山田", "/soudan help メンター登録")
	text := turn.Replies[0].Text
	for _, key := range []string{"usage.mentor", "usage.mentor.pause", "usage.mentor.resume"} {
		if want := e.Kit.TL("ja", key); !strings.Contains(text, want) {
			t.Errorf("help mentor lacks %s %q", key, want)
		}
	}
	if strings.Contains(text, e.Kit.TL("ja", "usage.ask")) {
		t.Errorf("help mentor = %q, want only the mentor command", text)
	}
	if got := strings.Join(testenv.ReplyTexts(e.Cmd("山田", "/soudan help admin")), "\n"); strings.Contains(got, "/soudan admin") || !strings.Contains(got, "/soudan ask") {
		t.Errorf("non-admin's help admin = %q, want the general list without admin commands", got)
	}
	// One word that names no command says so before the list; a sentence
	// gets the list alone.
	for _, c := range []struct {
		line string
		say  bool
	}{{"/soudan help nosuch", true}, {"/soudan help admin", true}, {"/soudan help ask", false}, {"/soudan help me with Teams", false}} {
		got := strings.Join(testenv.ReplyTexts(e.Cmd("山田", c.line)), "\n")
		word := strings.Fields(c.line)[2]
		if said := strings.Contains(got, e.Kit.TL("ja", "help.no_such_command", "Command", word)); said != c.say {
			t.Errorf("%s: says there is no such command = %v, want %v:\n%s", c.line, said, c.say, got)
		}
	}
}

func TestHelpInEnglish(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	turn := e.CmdEN("Smith", "/soudan help")
	r := turn.Replies[0]
	if r.Title != "How to use soudan" || !strings.Contains(r.Text, "`/soudan mentors [topic|words]` — find a mentor") {
		t.Errorf("help = %q / %q, want English", r.Title, r.Text)
	}
}

func TestHelpOnTeamsShowsCommandsWithoutTheSlash(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	m := bottest.Command("山田", "/soudan help")
	m.Address.Platform = bot.PlatformTeams
	got := strings.Join(testenv.ReplyTexts(e.Do(m)), "\n")
	if strings.Contains(got, "/soudan") || !strings.Contains(got, "`ask [--anon]") {
		t.Errorf("Teams help = %q, want commands without /soudan", got)
	}
	if got := strings.Join(testenv.ReplyTexts(e.Cmd("山田", "/soudan help")), "\n"); !strings.Contains(got, "`/soudan ask") {
		t.Errorf("console help = %q, want /soudan commands", got)
	}
}

// The demo mentors are found like any other, in the console the demo is
// for (-demo refuses a file with users of a chat platform).
func TestDemoMentorsAreFound(t *testing.T) {
	t.Parallel()
	out := session(t, filepath.Join(t.TempDir(), "demo.db"), ":as 山田\n/soudan mentors 国会\n", "-demo")
	wantContains(t, "mentors 国会", out, "メンターは 1 人です", "■ 田中（デモ）")
	if n := strings.Count(out, "■ "); n != 1 {
		t.Errorf("mentors 国会 listed %d mentors, want 1:\n%s", n, out)
	}
}
