package knowledge

import (
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

func TestTranslateTips(t *testing.T) {
	e := newEnv(t)
	sato := e.User("佐藤")
	var ja, en, ja2, other store.Tip
	err := e.St.Update(func(tx *store.Tx) (err error) {
		for _, title := range []string{"Printer queue", "年末調整の書類", "会議室の予約", "Sick leave"} {
			if _, err := tx.CreateTip(store.Tip{Title: title, Body: title, Author: sato.ID}); err != nil {
				return err
			}
		}
		if ja, err = tx.CreateTip(store.Tip{Title: "VPNに接続できない", Body: "VPNクライアントを更新します。", Lang: "ja", Author: sato.ID}); err != nil {
			return err
		}
		if en, err = tx.CreateTip(store.Tip{Title: "Cannot connect to the VPN", Body: "Update the VPN client software on your laptop.", Lang: "en", Author: sato.ID}); err != nil {
			return err
		}
		if ja2, err = tx.CreateTip(store.Tip{Title: "VPNの速度", Body: "遅いときは回線を確認。", Lang: "ja", Author: sato.ID}); err != nil {
			return err
		}
		other, err = tx.CreateTip(store.Tip{Title: "VPN speed", Body: "Check the line.", Lang: "en", Author: sato.ID + 100})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	id := func(tp store.Tip) string { return strconv.FormatUint(tp.ID, 10) }

	// Another's tip, a tip in the same language, itself: refused.
	if got := strings.TrimSpace(e.Refused(bottest.Command("佐藤", "/soudan tip translate "+id(ja2)+" "+id(other)))); got != e.Refusal("ja", "tip.error.not_author", "ID", other.ID) {
		t.Errorf("translate to another's tip: %q", got)
	}
	if got := strings.TrimSpace(e.Refused(bottest.Command("佐藤", "/soudan tip translate "+id(ja2)+" "+id(ja)))); got != e.Refusal("ja", "tip.translate.same_language", "ID", ja2.ID, "Other", ja.ID) {
		t.Errorf("translate within Japanese: %q", got)
	}
	if got := strings.TrimSpace(e.Refused(bottest.Command("佐藤", "/soudan tip translate "+id(ja)+" "+id(ja)))); got != e.Refusal("ja", "tip.translate.self", "ID", ja.ID) {
		t.Errorf("translate to itself: %q", got)
	}

	if got := reply(t, e.Cmd("佐藤", "/soudan tip 翻訳 "+id(en)+" "+id(ja))); got != e.Kit.TL("ja", "tip.translated", "ID", en.ID, "Other", ja.ID) {
		t.Errorf("translate = %q", got)
	}
	show := e.Cmd("田中", "/soudan tip show "+id(ja)).Replies[0]
	if !strings.Contains(fieldsText(show.Fields), e.Kit.TL("ja", "tip.field.translations")+": #"+id(en)+" Cannot connect to the VPN") {
		t.Errorf("show %d fields = %+v, want its English version", ja.ID, show.Fields)
	}

	// Words only the English version has: a Japanese asker sees the
	// Japanese tip, found through it; an English one the English tip.
	got := reply(t, e.Cmd("田中", "/soudan tip search laptop software のVPN"))
	if !strings.Contains(got, "VPNに接続できない") || strings.Contains(got, "Cannot connect") ||
		!strings.Contains(got, e.Kit.TL("ja", "tip.search.translated", "ID", en.ID)) {
		t.Errorf("search in Japanese = %q, want the Japanese tip found through #%d", got, en.ID)
	}
	got = reply(t, e.CmdEN("Alice", "/soudan tip search laptop software"))
	if !strings.Contains(got, "Cannot connect") || strings.Contains(got, "VPNに接続できない") {
		t.Errorf("search in English = %q, want the English tip alone", got)
	}

	if got := reply(t, e.Cmd("佐藤", "/soudan tip untranslate "+id(ja))); got != e.Kit.TL("ja", "tip.untranslated", "ID", ja.ID) {
		t.Errorf("untranslate = %q", got)
	}
	if got := strings.TrimSpace(e.Refused(bottest.Command("佐藤", "/soudan tip untranslate "+id(ja)))); got != e.Refusal("ja", "tip.untranslate.none", "ID", ja.ID) {
		t.Errorf("untranslate again: %q", got)
	}
	got = reply(t, e.Cmd("田中", "/soudan tip search laptop software のVPN"))
	if !strings.Contains(got, "Cannot connect") {
		t.Errorf("search after untranslate = %q, want the English tip", got)
	}
	var audit []store.AuditEntry
	_ = e.St.View(func(tx *store.Tx) (err error) {
		audit, err = tx.AuditLog(10)
		return err
	})
	n := 0
	for _, a := range audit {
		if a.Action == auditTipTranslate || a.Action == auditTipUntranslate {
			n++
		}
	}
	if n != 2 {
		t.Errorf("audit = %+v, want the translation and its removal", audit)
	}
}

func fieldsText(fs []bot.Field) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Label + ": " + f.Value + "\n")
	}
	return b.String()
}
