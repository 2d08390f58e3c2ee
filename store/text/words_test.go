package text

import (
	"reflect"
	"testing"
)

func TestContainsWord(t *testing.T) {
	tests := []struct {
		text, word string
		want       bool
	}{
		{"with a friend", "it", false},
		{"Is it normal?", "IT", false},
		{"IT support", "it", true},
		{"ITの相談", "IT", true},
		{"Teamsで画面共有", "teams", true},
		{"MSTeams", "teams", false},
		{"ＴＥＡＭＳ", "Teams", true},
		{"キャリアパスに悩む", "キャリア", true},
		{"e-mail address", "mail", true},
		{"email address", "mail", false},
		{"café", "cafe", false},
		{"cafe\u0301", "café", true},
		{"anything", "", false},
		{"\xff", "\xff", true},
	}
	for _, tt := range tests {
		if got := ContainsWord(tt.text, tt.word); got != tt.want {
			t.Errorf("ContainsWord(%q, %q): got %v, want %v", tt.text, tt.word, got, tt.want)
		}
	}
}

func TestMatchAll(t *testing.T) {
	profile := []string{"山田 花子", "営業", "海外営業10年、大使館勤務の経験あり", "ロンドン", "IT・Teams"}
	tests := []struct {
		query string
		want  bool
	}{
		{"", true},
		{"営業", true},
		{"営業 ロンドン", true},
		{"ﾛﾝﾄﾞﾝ", true},
		{"営業 パリ", false},
		{"大使館の経験", true},
		{"teams", true},
		{"IT", true},
		{"the IT", true},
		{"the", false},
		{"it teams", true},
		{"Teams for sales", false},
		{"山田さん", true},
		{"大使館で勤務", true},
		{"大使館で働いた", false}, // 働 is not in 勤務: no synonyms here
		{"東京", false},
	}
	for _, tt := range tests {
		if got := MatchAll(tt.query, profile...); got != tt.want {
			t.Errorf("MatchAll(%q, profile): got %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestQueryWords(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"営業の経験", []string{"営業", "経験"}},
		{"悩んでいます", []string{"悩"}},
		{"こども", []string{"こども"}},
		{"IT", []string{"it"}},
		{"the it manager", []string{"manager"}},
		{"the IT manager", []string{"it", "manager"}},
		{"the it", []string{"the", "it"}},
		{"です", []string{"です"}},
	}
	for _, tt := range tests {
		if got := queryWords(newDoc(tt.q)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("queryWords(%q): got %q, want %q", tt.q, got, tt.want)
		}
	}
}

// The cases of the containsWord soudan matched topics with before this
// package, by the new rules: the same answers except that "it" in running
// English is a stop word and names nothing.
func TestContainsWordAsTopicMatchingDid(t *testing.T) {
	for _, tc := range []struct {
		s, w string
		want bool
	}{
		{"it の設定がわからない", "it", true}, // beside Japanese: the topic
		{"teamsの使い方", "teams", true}, // Latin word followed by Japanese
		{"how to deal with stress", "it", false},
		{"it's broken", "it", false}, // was true: "it" in English is a stop word
		{"キャリアパスに悩んでいます", "キャリア", true},
		{"海外赴任の準備", "赴任", true},
		{"", "it", false},
		{"anything", "", false},
		{"wifi と it", "it", true}, // the second occurrence stands beside Japanese
	} {
		if got := ContainsWord(tc.s, tc.w); got != tc.want {
			t.Errorf("ContainsWord(%q, %q) = %v, want %v", tc.s, tc.w, got, tc.want)
		}
	}
}
