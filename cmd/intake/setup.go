package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/soudan/soudan/store"
)

// signedPost sends a signed form request (a slash command or an
// interaction) and returns the status and body.
func signedPost(client *http.Client, base, path string, body []byte) (int, string, error) {
	r, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	signRequest(r, "application/x-www-form-urlencoded", body, time.Now(), 0)
	resp, err := client.Do(r)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// waitFor polls cond every 10 ms for at most limit.
func waitFor(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// setup prepares a new data file through the bot, as people would: the
// admin adds the topic and maps the channel to it (signed slash commands),
// and each mentor registers (the command opens the profile modal; its
// view_submission saves it).
func setup(base string, f *fakeSlack) error {
	client := &http.Client{Timeout: 10 * time.Second}
	command := func(user, text, trigger string) error {
		before := f.ephemeralCount()
		status, _, err := signedPost(client, base, "/slack/commands", slashBody(user, text, trigger))
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("/soudan %s: status %d: %v", text, status, err)
		}
		if !waitFor(10*time.Second, func() bool { return f.ephemeralCount() > before }) {
			return fmt.Errorf("/soudan %s: no answer", text)
		}
		return nil
	}
	if err := command(adminUser, "admin topic add "+topicName, "trg-topic"); err != nil {
		return err
	}
	if err := command(adminUser, fmt.Sprintf("admin topic map <#%s|%s> %s", channel, topicName, topicName), "trg-map"); err != nil {
		return err
	}
	for i := range mentorCount {
		user, trigger := mentorID(i), fmt.Sprintf("trg-mentor-%d", i)
		if status, _, err := signedPost(client, base, "/slack/commands", slashBody(user, "mentor register", trigger)); err != nil || status != http.StatusOK {
			return fmt.Errorf("mentor register %s: status %d: %v", user, status, err)
		}
		var view map[string]any
		if !waitFor(10*time.Second, func() bool { var ok bool; view, ok = f.view(trigger); return ok }) {
			return fmt.Errorf("mentor register %s: no modal opened (%s)", user, f.lastEphemeral())
		}
		topicID, ok := optionValue(view, topicName)
		if !ok {
			return fmt.Errorf("mentor register %s: topic %q is not in the form", user, topicName)
		}
		values := map[string]any{
			"join_year": blockText("2012"), "job_type": blockText("事務"), "message": blockText("何でもどうぞ"),
			"posting": map[string]any{"v": map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": store.PostingHQ}}},
			"topics":  map[string]any{"v": map[string]any{"type": "multi_static_select", "selected_options": []any{map[string]any{"value": topicID}}}},
		}
		status, body, err := signedPost(client, base, "/slack/interactive", submissionBody(user, view, values, trigger+"-submit"))
		if err != nil || status != http.StatusOK || strings.Contains(body, "errors") {
			return fmt.Errorf("mentor register %s: submission: status %d %s: %v", user, status, body, err)
		}
	}
	return nil
}

// warmUp asks one question through the load and waits until the bot
// answered it in its thread and routed it to a mentor: the setup worked.
func warmUp(l *loader, f recorder) error {
	saved := l.replies
	l.replies = 0
	ev := l.next()
	l.replies = saved
	l.deliver(ev)
	if ev.Acked.IsZero() {
		return fmt.Errorf("warm-up question not acknowledged")
	}
	ok := waitFor(20*time.Second, func() bool {
		var thread, card bool
		for _, p := range f.snapshot() {
			thread = thread || p.Channel == channel && p.Thread == ev.TS
			card = card || strings.HasPrefix(p.Channel, "DM") && strings.Contains(p.Text, ev.Marker)
		}
		return thread && card
	})
	if !ok {
		return fmt.Errorf("warm-up question %s was not answered in its thread and routed to a mentor", ev.Marker)
	}
	return nil
}

// blockText is a plain_text_input state value.
func blockText(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": v}}
}

// optionValue finds the value of the option labelled label anywhere in a
// Block Kit view.
func optionValue(v any, label string) (string, bool) {
	switch v := v.(type) {
	case map[string]any:
		if t, ok := v["text"].(map[string]any); ok && t["text"] == label {
			if s, ok := v["value"].(string); ok {
				return s, true
			}
		}
		for _, x := range v {
			if s, ok := optionValue(x, label); ok {
				return s, true
			}
		}
	case []any:
		for _, x := range v {
			if s, ok := optionValue(x, label); ok {
				return s, true
			}
		}
	}
	return "", false
}
