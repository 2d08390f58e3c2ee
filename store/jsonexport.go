package store

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// ExportFormat names the document WriteJSON writes, and its version.
const (
	ExportFormat  = "soudan-export"
	ExportVersion = 1
)

// exportSection is one array of the export: a bucket and how each of its
// records is shown (nil from show leaves the record out).
type exportSection struct {
	name   string
	bucket string
	show   func(raw []byte) (any, error)
}

// exportUser is a user as an admin sees them: no DM channel or
// conversation reference.
func exportUser(raw []byte) (any, error) {
	var u User
	if err := json.Unmarshal(raw, &u); err != nil {
		return nil, err
	}
	u.DMChannel, u.DMRef = "", nil
	return u, nil
}

// exportConsultation is a consultation as an admin may see it: an
// anonymous one never names its asker (asker, their messages, their state
// changes, their DM thread), and no platform event ids.
func exportConsultation(raw []byte) (any, error) {
	var c Consultation
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	c.EventID = ""
	for i := range c.Messages {
		c.Messages[i].EventID = ""
	}
	if !c.Anonymous {
		return c, nil
	}
	asker := c.AskerID
	c.AskerID = 0
	for i := range c.Messages {
		if c.Messages[i].AuthorID == asker {
			c.Messages[i].AuthorID = 0
		}
	}
	for i := range c.History {
		if c.History[i].By == asker {
			c.History[i].By = 0
		}
	}
	c.Threads = slices.DeleteFunc(c.Threads, func(t Thread) bool { return t.UserID == asker })
	if c.Public != nil && c.Public.UserID == asker {
		c.Public = nil
	}
	c.Participants = slices.DeleteFunc(c.Participants, func(id uint64) bool { return id == asker })
	return c, nil
}

// exportRound shows a survey round without its secret. Responses,
// invitations and tallies are left out: a tally of a small group is a
// figure no admin may see (reports show them through figures.Publish).
func exportRound(raw []byte) (any, error) {
	var r SurveyRound
	err := json.Unmarshal(raw, &r)
	r.Secret = nil
	if r.Responded < r.MinGroup {
		// The organisation's counts are shown from k respondents on
		// (figures.Publish); an open round below that shows none here
		// either (a closed one keeps none).
		r.Invited, r.Responded = 0, 0
	}
	return r, err
}

// as decodes a record into T and shows it as it is.
func as[T any](raw []byte) (any, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}

// exportSections are the parts of the export, in order. Left out: the
// inbox, the outbox, platform event ids, adapter and console state, the
// search index (derived from the tips), survey responses and tallies, and
// members' confidential "don't pair me with" lists.
var exportSections = []exportSection{
	{"users", bktUsers, exportUser},
	{"departments", bktDepts, as[Department]},
	{"topics", bktTopics, as[Topic]},
	{"mentors", bktMentors, as[Mentor]},
	{"consultations", bktConsults, exportConsultation},
	{"purged_totals", bktPurged, as[PurgedMonth]},
	{"tips", bktTips, as[Tip]},
	{"surveys", bktSurveys, as[Survey]},
	{"survey_rounds", bktRounds, exportRound},
	{"closed_days", bktClosedDays, as[ClosedDay]},
	{"connection_programmes", bktConnProgs, as[ConnProgramme]},
	{"connection_members", bktConnMembers, exportConnMember},
	{"connection_rounds", bktConnRounds, as[ConnRound]},
	{"one_on_ones", bktOneOnOnes, as[OneOnOne]},
	{"mentor_terms", bktMentorTerms, as[MentorTerm]},
	{"audit", bktAudit, as[AuditEntry]},
}

// ExportCounts is how many records of each section WriteJSON wrote.
type ExportCounts map[string]int

// WriteJSON writes everything an admin may see as one JSON document to w,
// from one consistent snapshot (a read transaction, so the bot may serve
// meanwhile): {"format", "version", "schema", "exported_at", then one
// array per section}. It streams record by record and never holds a
// section in memory. Anonymous askers are never named.
func (s *Store) WriteJSON(w io.Writer) (ExportCounts, error) {
	counts := ExportCounts{}
	err := s.View(func(tx *Tx) error {
		schema, err := readVersion(tx.bucket(bktMeta))
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 64<<10)
		head, err := json.Marshal(map[string]any{
			"format": ExportFormat, "version": ExportVersion, "schema": schema,
			"exported_at": tx.Now().UTC().Format(time.RFC3339),
		})
		if err != nil {
			return err
		}
		bw.Write(head[:len(head)-1]) // without its closing brace
		for _, sec := range exportSections {
			n, err := writeSection(tx, bw, sec)
			if err != nil {
				return fmt.Errorf("%s: %w", sec.name, err)
			}
			counts[sec.name] = n
		}
		bw.WriteString("}\n")
		return bw.Flush()
	})
	if err != nil {
		return nil, fmt.Errorf("export json: %w", err)
	}
	return counts, nil
}

// writeSection writes `,"name":[...]` with one record per line.
func writeSection(tx *Tx, w *bufio.Writer, sec exportSection) (int, error) {
	name, _ := json.Marshal(sec.name)
	w.WriteString(",\n")
	w.Write(name)
	w.WriteString(":[")
	n := 0
	b := tx.bucket(sec.bucket)
	if b != nil {
		err := b.ForEach(func(k, raw []byte) error {
			v, err := sec.show(raw)
			if err != nil {
				return fmt.Errorf("record %x: %w", k, err)
			}
			if v == nil {
				return nil
			}
			line, err := json.Marshal(v)
			if err != nil {
				return err
			}
			if n > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
			w.Write(line)
			n++
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	_, err := w.WriteString("\n]")
	return n, err
}
