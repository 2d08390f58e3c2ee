package main

import (
	"fmt"
	"io"
	"os"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// stdinIsTerminal reports whether r is a terminal: a person types, not a
// script.
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && isTerminalFD(f.Fd())
}

// banners are the console's greeting, by language: who you are, whether
// you are admin, where help is, and whether demo data was loaded.
var banners = map[string]struct{ hello, admin, firstAdmin, demo string }{
	"ja": {
		hello:      "soudan コンソール — あなたは %s です%s。:help でコマンド一覧、:quit で終了します。",
		admin:      "（管理者）",
		firstAdmin: "（最初の発言で管理者になります）",
		demo:       "デモデータを読み込みました: 「（デモ）」の付いたトピックとメンターはサンプルです。",
	},
	"en": {
		hello:      "soudan console — you are %s%s. :help lists the commands, :quit leaves.",
		admin:      " (admin)",
		firstAdmin: " (your first line makes you admin)",
		demo:       "Demo data loaded: the topics and mentors marked (デモ) are samples.",
	},
}

// banner is the greeting the interactive console prints first, in the
// console user's language when the bot knows it, else in -lang's.
func (m *Main) banner() string {
	name := m.Config.ConsoleUser
	lang, role := m.Config.Lang, ""
	// One snapshot: the console user, or whether anyone is admin yet.
	_ = m.store.View(func(tx *store.Tx) error {
		u, err := tx.Users().ByKey(store.UserKey{Platform: bot.PlatformConsole, Workspace: console.Workspace, PlatformID: name})
		switch {
		case err == nil:
			lang = handlers.LangOf(u.Locale, lang)
			if u.HasRole(store.RoleAdmin) {
				role = "admin"
			}
		default:
			if admins, err := tx.Users().WithRole(store.RoleAdmin); err == nil && len(admins) == 0 {
				role = "first"
			}
		}
		return nil // a banner is shown whatever the store says
	})
	b, ok := banners[lang]
	if !ok {
		b = banners["ja"]
	}
	suffix := map[string]string{"admin": b.admin, "first": b.firstAdmin}[role]
	text := fmt.Sprintf(b.hello, name, suffix)
	if m.Config.Demo {
		text += "\n" + b.demo
	}
	return text
}
