package store

import (
	"errors"
	"fmt"
	"slices"
)

// Translations: the same tip in two languages.
//
// Tips that say the same in different languages form a group, each tip
// of it in a language of its own (tipLang), and each lists the others in
// its Translations. A search shows a group once, at the place of its
// best hit, as the tip in the asker's language when the group has one
// (tiplang.go): a Japanese asker whose search finds the English version
// of a tip sees the Japanese one. The group is kept in the tips' own
// records, not in an index: a search looks at the Translations of the
// tips it found, and nothing else.

// maxTranslations bounds a group: one tip per language.
const maxTranslations = 8

// ErrSameLanguage refuses to link tips in one language as translations.
var ErrSameLanguage = errors.New("store: a translation is in another language")

// LinkTranslation records that tips a and b say the same in different
// languages: a joins b's group (leaving its own). Each tip of the new
// group must be in a language of its own.
func (tx *Tx) LinkTranslation(a, b uint64) error {
	if err := tx.linkTranslation(a, b); err != nil {
		return fmt.Errorf("link tip %d as a translation of %d: %w", a, b, err)
	}
	return nil
}

func (tx *Tx) linkTranslation(a, b uint64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if a == b {
		return fmt.Errorf("a tip is not its own translation")
	}
	ta, err := getByID[Tip](tx, bktTips, a)
	if err != nil {
		return err
	}
	tb, err := getByID[Tip](tx, bktTips, b)
	if err != nil {
		return err
	}
	if slices.Contains(tb.Translations, a) {
		return nil
	}
	group, err := tx.tipsOf(append([]uint64{b}, tb.Translations...))
	if err != nil {
		return err
	}
	if err := sameLanguage(ta, group); err != nil {
		return err
	}
	if len(group)+1 > maxTranslations {
		return fmt.Errorf("a tip has at most %d translations", maxTranslations-1)
	}
	if err := tx.leaveTranslations(ta); err != nil {
		return err
	}
	ta.Translations = nil
	return tx.putGroup(append(group, ta))
}

// sameLanguage refuses t in a group with a tip in its language (or with
// no language at all).
func sameLanguage(t Tip, group []Tip) error {
	l := tipLang(t)
	for _, o := range group {
		if o.ID != t.ID && (l == "" || tipLang(o) == l) {
			return fmt.Errorf("tip %d and tip %d (%q): %w", t.ID, o.ID, l, ErrSameLanguage)
		}
	}
	return nil
}

// UnlinkTranslation takes tip id out of its group of translations.
func (tx *Tx) UnlinkTranslation(id uint64) error {
	err := tx.writable()
	var t Tip
	if err == nil {
		t, err = getByID[Tip](tx, bktTips, id)
	}
	if err == nil && len(t.Translations) > 0 {
		if err = tx.leaveTranslations(t); err == nil {
			t.Translations = nil
			err = putJSON(tx.bucket(bktTips), itob(t.ID), t)
		}
	}
	if err != nil {
		return fmt.Errorf("unlink tip %d's translations: %w", id, err)
	}
	return nil
}

// TipTranslations returns the tips that say the same as t in other
// languages, in id order.
func (tx *Tx) TipTranslations(t Tip) ([]Tip, error) {
	ts, err := tx.tipsOf(t.Translations)
	if err != nil {
		return nil, fmt.Errorf("translations of tip %d: %w", t.ID, err)
	}
	return ts, nil
}

// leaveTranslations takes t out of the Translations of the others of its
// group (t itself is left to the caller).
func (tx *Tx) leaveTranslations(t Tip) error {
	if len(t.Translations) == 0 {
		return nil
	}
	rest, err := tx.tipsOf(t.Translations)
	if err != nil {
		return err
	}
	return tx.putGroup(rest)
}

// putGroup stores ts as one group: each lists the others.
func (tx *Tx) putGroup(ts []Tip) error {
	for i := range ts {
		var others []uint64
		if len(ts) > 1 {
			for j, o := range ts {
				if j != i {
					others = append(others, o.ID)
				}
			}
			slices.Sort(others)
		}
		if slices.Equal(others, ts[i].Translations) {
			continue
		}
		ts[i].Translations = others
		if err := putJSON(tx.bucket(bktTips), itob(ts[i].ID), ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// tipsOf returns the tips with ids, in id order, those gone left out.
func (tx *Tx) tipsOf(ids []uint64) ([]Tip, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	var ts []Tip
	for _, id := range slices.Compact(ids) {
		t, err := getByID[Tip](tx, bktTips, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}
