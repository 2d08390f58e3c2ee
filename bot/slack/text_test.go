package slack

import (
	"slices"
	"testing"

	"github.com/soudan/soudan/bot/slack/slackfake"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		keepChannels bool
		wantText     string
		wantMentions []string
		wantBot      bool
	}{
		{"plain Japanese", "キャリアパスに悩んでいます", false, "キャリアパスに悩んでいます", nil, false},
		{"escapes", "a &lt;b&gt; &amp;amp; c", false, "a <b> &amp; c", nil, false},
		{"mention", "<@U123> さんに聞きたい", false, "<@U123> さんに聞きたい", []string{"U123"}, false},
		{"mention with label", "<@U123|sato> and <@W9>", false, "<@U123> and <@W9>", []string{"U123", "W9"}, false},
		{"repeated mention", "<@U1> <@U1>", false, "<@U1> <@U1>", []string{"U1"}, false},
		{"bot mention removed", "<@UBOT> ask 質問です", false, "ask 質問です", nil, true},
		{"bot mention with comma", "<@UBOT>、ヘルプ", false, "ヘルプ", nil, true},
		{"bot mention inside", "質問 <@UBOT> です", false, "質問 です", nil, true},
		{"bot mention after an ideographic space", "質問\u3000<@UBOT>\u3000です", false, "質問\u3000です", nil, true},
		{"another user whose id starts like the bot's", "<@UBOT2> さん", false, "<@UBOT2> さん", []string{"UBOT2"}, false},
		{"channel as name", "see <#C123|career>", false, "see #career", nil, false},
		{"channel without name", "see <#C123>", false, "see #C123", nil, false},
		{"channel kept for commands", "topic map <#C123|career> キャリア", true, "topic map <#C123|career> キャリア", nil, false},
		{"link with label", "<https://example.com/a?b=1&amp;c=2|手順書>", false, "手順書 (https://example.com/a?b=1&c=2)", nil, false},
		{"bare link", "<https://example.com>", false, "https://example.com", nil, false},
		{"link label is url", "<https://example.com|https://example.com>", false, "https://example.com", nil, false},
		{"mailto", "<mailto:a@example.com|a@example.com>", false, "a@example.com", nil, false},
		{"here", "<!here> 全員へ", false, "@here 全員へ", nil, false},
		{"channel broadcast with label", "<!channel|@channel>", false, "@channel", nil, false},
		{"subteam", "<!subteam^S123|@mentors> help", false, "@mentors help", nil, false},
		{"date", "<!date^1392734382^{date}|Feb 18, 2014>", false, "Feb 18, 2014", nil, false},
		{"unclosed", "a < b", false, "a < b", nil, false},
		{"lower-case is no id", "<@abc>", false, "@abc", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plainText(tt.in, slackfake.BotUser, tt.keepChannels)
			if got.text != tt.wantText || !slices.Equal(got.mentions, tt.wantMentions) || got.bot != tt.wantBot {
				t.Errorf("plainText(%q) = %q %v %t; want %q %v %t", tt.in, got.text, got.mentions, got.bot, tt.wantText, tt.wantMentions, tt.wantBot)
			}
		})
	}
}

func TestMrkdwn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a < b & c > d", "a &lt; b &amp; c &gt; d"},
		{"<@U123> さんへ", "<@U123> さんへ"},
		{"<@U123|sato>", "<@U123>"},
		{"<#C1|career> で", "<#C1> で"},
		{"@channel 見て", "@\u200bchannel 見て"},
		{"<!here>", "@\u200bhere"},
		{"<!everyone|everyone>", "@\u200beveryone"},
		{"＠here", "＠\u200bhere"},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
		{"<@lower>", "&lt;@lower&gt;"},
		{"ctrl\x07char", "ctrlchar"},
	}
	for _, tt := range tests {
		if got := mrkdwn(tt.in); got != tt.want {
			t.Errorf("mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
