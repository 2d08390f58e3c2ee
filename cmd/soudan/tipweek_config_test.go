package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

func TestTipOfWeekChannels(t *testing.T) {
	t.Parallel()
	m, err := parse(t, "-tip-of-week-channels", "slack:C012AB3CD, console:general, teams:19:abc@thread.tacv2")
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Address{
		{Platform: "slack", Channel: "C012AB3CD"},
		{Platform: "console", Workspace: "console", Channel: "#general"},
		{Platform: "teams", Channel: "19:abc@thread.tacv2"},
	}
	if !reflect.DeepEqual(m.Config.tipWeek, want) {
		t.Errorf("channels = %+v, want %+v", m.Config.tipWeek, want)
	}
	if _, err := parse(t, "-tip-of-week-channels", "irc:#x"); err == nil || !strings.Contains(err.Error(), "tip-of-week-channels") {
		t.Errorf("bad platform: err = %v", err)
	}
}
