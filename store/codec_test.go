package store

import (
	stdjson "encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestCodecIsEncodingJSON holds the records' codec (codec.go) to
// encoding/json: the same bytes for the same record, so files written
// before and after read the same, and the same record back from them,
// on records with what a codec may get wrong: Japanese text and HTML
// characters, times with and without zones, empty and nil slices,
// omitempty, byte slices (base64), maps, pointers, and a type with its
// own UnmarshalJSON that accepts two shapes.
func TestCodecIsEncodingJSON(t *testing.T) {
	at := time.Date(2026, 12, 7, 22, 15, 3, 123456789, time.FixedZone("JST", 9*3600))
	records := []any{
		&Consultation{ID: 7, TopicID: 2, AskerID: 3, State: StateAnswered, EventID: "EvQ000001", Anonymous: true,
			Public:  &Thread{Platform: "slack", Workspace: "T0", Channel: "C0", Thread: "1796681269.000001"},
			Threads: []Thread{{Platform: "slack", Workspace: "T0", Channel: "DM01", Thread: "1600000000.000044", UserID: 2}},
			Routed:  []uint64{2, 3, 4},
			Messages: []ConsultMessage{
				{ID: 1, Kind: MsgQuestion, AuthorID: 3, Text: "異動の相談です <b>&</b> \"quoted\" \u2028 😀", EventID: "EvQ000001", At: at},
				{ID: 2, Kind: MsgAnswer, AuthorID: 2, Text: "上司に相談してみてください", At: at.UTC()},
			},
			History:   []StateChange{{From: StateOpen, To: StateAnswered, By: 2, At: at}},
			CreatedAt: at, UpdatedAt: at.UTC(), AnsweredAt: at},
		&User{ID: 1, Platform: "slack", PlatformID: "U1", Name: "佐藤 花子", Roles: []string{}, ManagerOf: DepartmentNames{"営業一課", "営業二課"}, DMRef: []byte{0, 1, 2, 250}, CreatedAt: at},
		&User{ID: 2, Platform: "teams", PlatformID: "29:1", Name: "<script>", Roles: nil},
		&Mentor{UserID: 2, Topics: []uint64{2}, Career: "在米国大使館", Paused: true, LeaveFrom: at, CreatedAt: at},
		&OutboxItem{ID: 9, Platform: "slack", Channel: "C0", Ref: []byte("ref"), Payload: []byte(`{"text":"カード"}`), Result: nil},
		&map[string]int{"b": 2, "a": 1, "あ": 3},
	}
	for _, r := range records {
		want, err := stdjson.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeRecord(r)
		if err != nil {
			t.Fatalf("codec: marshal %T: %v", r, err)
		}
		if string(got) != string(want) {
			t.Errorf("codec: %T encodes as\n%s\nwant encoding/json's\n%s", r, got, want)
		}
		back := reflect.New(reflect.TypeOf(r).Elem())
		if err := decodeRecord(want, back.Interface()); err != nil {
			t.Fatalf("codec: unmarshal %T: %v", r, err)
		}
		std := reflect.New(reflect.TypeOf(r).Elem())
		if err := stdjson.Unmarshal(want, std.Interface()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.Interface(), std.Interface()) {
			t.Errorf("codec: %T decodes as %+v, want encoding/json's %+v", r, back.Elem(), std.Elem())
		}
	}
	// DepartmentNames reads one name as a string too (files of an older
	// soudan): its own UnmarshalJSON must be called.
	var u, std User
	old := []byte(`{"id":1,"name":"部長","manager_of":"営業部"}`)
	if err := decodeRecord(old, &u); err != nil {
		t.Fatal(err)
	}
	if err := stdjson.Unmarshal(old, &std); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(u, std) || len(u.ManagerOf) != 1 {
		t.Errorf("codec: an older file's manager_of decodes as %+v, want encoding/json's %+v", u.ManagerOf, std.ManagerOf)
	}
}

// BenchmarkDecodeConsultation decodes a consultation of 50 messages and
// threads with the records' codec and with encoding/json, for the
// comparison in docs/measurements/2026-12-07-intake.md.
func BenchmarkDecodeConsultation(b *testing.B) {
	c := Consultation{ID: 1, TopicID: 2, AskerID: 3, State: StateAnswered, EventID: "EvQ000001"}
	at := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)
	for i := range 50 {
		c.Messages = append(c.Messages, ConsultMessage{ID: i + 1, Kind: MsgAnswer, AuthorID: 4, Text: "上司に相談してみてください", EventID: "EvR000001", At: at})
		c.Threads = append(c.Threads, Thread{Platform: "slack", Workspace: "T0", Channel: "DA0197", Thread: "1600000000.000089", UserID: 22})
	}
	data, err := stdjson.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	for _, codec := range []struct {
		name   string
		decode func([]byte, any) error
	}{{"codec", decodeRecord}, {"encoding-json", stdjson.Unmarshal}} {
		b.Run(codec.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var got Consultation
				if err := codec.decode(data, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
