package console

import (
	"fmt"
	"strings"
)

// Keys of the console's own messages.
const (
	msgUnknownMeta   = "unknown_meta"
	msgUsage         = "usage"
	msgBadName       = "bad_name"
	msgLongName      = "long_name"
	msgBadLocale     = "bad_locale"
	msgNoThread      = "no_thread"
	msgNoButtons     = "no_buttons"
	msgNoButtonsOn   = "no_buttons_on"
	msgNoMessage     = "no_message"
	msgBadButton     = "bad_button"
	msgOpenURL       = "open_url"
	msgNoForm        = "no_form"
	msgBadToken      = "bad_token"
	msgUnknownInput  = "unknown_input"
	msgBadCheckbox   = "bad_checkbox"
	msgBadQuote      = "bad_quote"
	msgWho           = "who"
	msgHelp          = "help"
	msgAfterFailedAs = "after_failed_as"
	msgResumed       = "resumed"
	msgReset         = "reset"
	msgSaveFailed    = "save_failed"
)

// messages is the console's own small catalog, by language. Handlers have
// the real catalogs; these only explain the console itself.
var messages = map[string]map[string]string{
	"ja": {
		msgUnknownMeta:   "不明なコマンドです: :%s（一覧は :help）",
		msgUsage:         "使い方: %s",
		msgBadName:       "その名前は使えません: %s",
		msgLongName:      "名前は %d 文字までにしてください（%d 文字あります）",
		msgBadLocale:     "言語は ja や en のように指定してください: %s",
		msgNoThread:      "スレッドが見つかりません: %s（m12 のようなメッセージ番号か、#12 のような番号で指定してください）",
		msgNoButtons:     "押せるボタンがありません",
		msgNoButtonsOn:   "%s には押せるボタンがありません",
		msgNoMessage:     "メッセージが見つかりません: %s",
		msgBadButton:     "ボタンは 1〜%d の番号で指定してください: %s",
		msgOpenURL:       "ブラウザで開いてください: %s",
		msgNoForm:        "送信できるフォームがありません",
		msgBadToken:      "%s: 項目=値 の形で書いてください",
		msgUnknownInput:  "%s: このフォームにない項目です（項目: %s）",
		msgBadCheckbox:   "%s: はい／いいえ（true/false）で答えてください: %s",
		msgBadQuote:      "引用符が閉じていません: %s",
		msgWho:           "ユーザー: %s（%s）、投稿先: %s",
		msgAfterFailedAs: "直前の :as が失敗したため、この行は送信しませんでした（%s としては送りません）。:as NAME で切り替えてください",
		msgResumed:       "前回の続き: %s として %s に投稿します（DM に戻るには :dm）",
		msgReset:         "保存されたコンソールの履歴を読み込めないため、履歴をリセットしました（%s）",
		msgSaveFailed:    "コンソールの履歴を保存できません（%s）",
		msgHelp: `コンソールのコマンド:
  :as NAME [ja|en]     ユーザーを切り替える（言語も設定できます）
  :in #CHANNEL         チャンネルに投稿する
  :dm                  ボットとの DM に戻る
  :thread ID           スレッドに投稿する（m12 のようなメッセージ番号か #12）
  :press N             最後に表示されたボタンの N 番目を押す
  :press m12 N         メッセージ m12 のボタンの N 番目を押す
  :submit name=value   最後に表示されたフォームを送信する（"..." で空白を含められます）
  :react NAME m12      メッセージ m12 にリアクションする（例: :react books m12、📚 も可）
  :who                 現在のユーザーと投稿先を表示する
  :help                この一覧を表示する
  :quit                終了する
  :# ...               コメント（スクリプト用）
/%s ... はコマンド、それ以外の行は投稿です（@NAME でメンション）。`,
	},
	"en": {
		msgUnknownMeta:   "unknown command: :%s (see :help)",
		msgUsage:         "usage: %s",
		msgBadName:       "cannot use that name: %s",
		msgLongName:      "a name has at most %d characters (this one has %d)",
		msgBadLocale:     "give a language such as ja or en: %s",
		msgNoThread:      "no thread %s (give a message id such as m12, or a number such as #12)",
		msgNoButtons:     "no buttons to press",
		msgNoButtonsOn:   "%s has no buttons to press",
		msgNoMessage:     "no message %s",
		msgBadButton:     "press a button from 1 to %d: %s",
		msgOpenURL:       "open in a browser: %s",
		msgNoForm:        "no form to submit",
		msgBadToken:      "%s: write name=value",
		msgUnknownInput:  "%s: not an input of this form (inputs: %s)",
		msgBadCheckbox:   "%s: answer yes or no (true/false): %s",
		msgBadQuote:      "unbalanced quotes: %s",
		msgWho:           "user: %s (%s), posting to: %s",
		msgAfterFailedAs: "not sent: the last :as failed, and this line is not sent as %s; switch with :as NAME",
		msgResumed:       "resumed: you are %s, posting to %s as when you left (:dm for your DM)",
		msgReset:         "the console history was reset: the saved one cannot be read (%s)",
		msgSaveFailed:    "cannot save the console history (%s)",
		msgHelp: `Console commands:
  :as NAME [ja|en]     switch user (and set their language)
  :in #CHANNEL         post in a channel
  :dm                  post in your DM with the bot again
  :thread ID           post in a thread (a message id such as m12, or #12)
  :press N             press button N of the last message with buttons
  :press m12 N         press button N of the message m12
  :submit name=value   submit the last form shown ("..." quotes spaces)
  :react NAME m12      react to the message m12 (e.g. :react books m12, or 📚)
  :who                 show the current user and where they post
  :help                show this list
  :quit                quit
  :# ...               a comment (for scripts)
/%s ... is a command; any other line is a post (@NAME mentions).`,
	},
}

// notice is a console message for the user: a meta-line error or answer.
// It is an error so that meta-line handlers can return it.
type notice struct {
	key  string
	args []any
}

func (n *notice) Error() string { return n.text("en") }

// text renders n in the language lang ("ja" or "en").
func (n *notice) text(lang string) string {
	return fmt.Sprintf(messages[lang][n.key], n.args...)
}

// langOf returns the catalog language for a locale: "en" for English,
// else "ja".
func langOf(locale string) string {
	if strings.HasPrefix(strings.ToLower(locale), "en") {
		return "en"
	}
	return "ja"
}
