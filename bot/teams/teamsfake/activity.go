package teamsfake

// From is an activity's from or recipient, or a member added.
func From(id, name string) map[string]any { return map[string]any{"id": id, "name": name} }

// Mention is a mention entity.
func Mention(id, name string) map[string]any {
	return map[string]any{"type": "mention", "text": "<at>" + name + "</at>", "mentioned": map[string]any{"id": id, "name": name}}
}

// DMActivity is a message in the user's personal chat with the bot,
// from the fake's service URL.
func (f *Server) DMActivity(id, userID, name, text string) map[string]any {
	return map[string]any{
		"type": "message", "id": id, "timestamp": "2026-11-20T01:00:00.000Z",
		"serviceUrl": f.URL(), "channelId": "msteams", "locale": "ja-JP",
		"from": From(userID, name), "recipient": From(BotID, "soudan"),
		"conversation": map[string]any{"id": "a:dm-" + userID, "conversationType": "personal", "tenantId": Tenant},
		"channelData":  map[string]any{"tenant": map[string]any{"id": Tenant}},
		"text":         text,
	}
}

// ChannelActivity is a message in Channel, from the fake's service URL:
// at top level when root is "" (its own id is then the root), else in the
// thread of root.
func (f *Server) ChannelActivity(id, root, userID, name, text string, entities ...any) map[string]any {
	if root == "" {
		root = id
	}
	act := map[string]any{
		"type": "message", "id": id, "timestamp": "2026-11-20T01:00:00.000Z",
		"serviceUrl": f.URL(), "channelId": "msteams", "locale": "en-US",
		"from": From(userID, name), "recipient": From(BotID, "soudan"),
		"conversation": map[string]any{"id": Channel + ";messageid=" + root, "conversationType": "channel", "tenantId": Tenant, "isGroup": true},
		"channelData":  map[string]any{"tenant": map[string]any{"id": Tenant}, "channel": map[string]any{"id": Channel}, "team": map[string]any{"id": "19:team@thread.tacv2"}},
		"text":         text,
	}
	if len(entities) > 0 {
		act["entities"] = entities
	}
	return act
}

// SubmitActivity is an Action.Submit from the card cardID in 田中's
// (29:tanaka's) personal chat: a message whose value is value.
func (f *Server) SubmitActivity(id, cardID string, value any) map[string]any {
	act := f.DMActivity(id, "29:tanaka", "田中", "")
	act["replyToId"] = cardID
	act["value"] = value
	return act
}

// ExecuteActivity is an Action.Execute invoke of verb with data, from the
// card cardID in 田中's (29:tanaka's) personal chat.
func (f *Server) ExecuteActivity(id, cardID, verb string, data any) map[string]any {
	act := f.DMActivity(id, "29:tanaka", "田中", "")
	act["type"], act["name"], act["replyToId"] = "invoke", "adaptiveCard/action", cardID
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
	return act
}

// MessageActionActivity is the invoke of the message action command,
// chosen by 田中 (29:tanaka) on the channel message msgID whose HTML is
// content, once its dialog is submitted.
func (f *Server) MessageActionActivity(id, command, msgID, content string) map[string]any {
	act := f.ChannelActivity(id, msgID, "29:tanaka", "田中", "")
	act["type"], act["name"] = "invoke", "composeExtension/submitAction"
	delete(act, "text")
	act["value"] = map[string]any{
		"commandId": command, "commandContext": "message", "data": map[string]any{"note": ""},
		"messagePayload": map[string]any{"id": msgID, "body": map[string]any{"contentType": "html", "content": content},
			"from": map[string]any{"user": map[string]any{"id": "29:sato", "displayName": "佐藤"}}},
	}
	return act
}
