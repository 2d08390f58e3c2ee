package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// bktClosedDays holds the days an admin closed besides weekends and
// national holidays (a company holiday, the year-end break), keyed by
// date "2006-01-02" (schema version 3).
const bktClosedDays = "calendar.closed_days"

// dateLayout is the key format of a closed day.
const dateLayout = "2006-01-02"

// ClosedDay is a day an admin marked as not a business day.
type ClosedDay struct {
	Date string    `json:"date"` // "2006-01-02"
	Note string    `json:"note,omitempty"`
	By   uint64    `json:"by,omitempty"` // the admin's user id
	At   time.Time `json:"at"`
}

// AddClosedDay marks date ("2006-01-02") closed, replacing its note.
func (tx *Tx) AddClosedDay(d ClosedDay) (ClosedDay, error) {
	if _, err := time.Parse(dateLayout, d.Date); err != nil {
		return ClosedDay{}, fmt.Errorf("add closed day %q: want a date like 2026-12-29", d.Date)
	}
	d.At = tx.Now()
	if err := putJSON(tx.bucket(bktClosedDays), []byte(d.Date), d); err != nil {
		return ClosedDay{}, fmt.Errorf("add closed day %s: %w", d.Date, err)
	}
	return d, nil
}

// RemoveClosedDay opens date again; it fails with ErrNotFound when the day
// was not closed.
func (tx *Tx) RemoveClosedDay(date string) error {
	b := tx.bucket(bktClosedDays)
	err := tx.writable()
	if err == nil && b.Get([]byte(date)) == nil {
		err = ErrNotFound
	}
	if err == nil {
		err = b.Delete([]byte(date))
	}
	if err != nil {
		return fmt.Errorf("remove closed day %s: %w", date, err)
	}
	return nil
}

// ClosedDays returns every closed day, in date order.
func (tx *Tx) ClosedDays() ([]ClosedDay, error) {
	var out []ClosedDay
	err := tx.bucket(bktClosedDays).ForEach(func(_, v []byte) error {
		var d ClosedDay
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list closed days: %w", err)
	}
	return out, nil
}
