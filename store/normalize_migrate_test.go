package store

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/soudan/soudan/store/kv"
)

// TestReindexNamesMigration: a file whose name indexes were written with
// the old normalisation (NFKC and lower case only) is reindexed at Open,
// so names that fold further ("Straße", a zero-width space inside) are
// found by the new form.
func TestReindexNamesMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	old, err := open(path, Options{}, migrations[:5])
	if err != nil {
		t.Fatal(err)
	}
	tp := testUpdate(t, old, func(tx *Tx) (Topic, error) {
		return tx.Topics().Create(Topic{Name: "Straße", Aliases: []string{"キャ\u200bリア"}})
	})
	u, _, err := testWrite2(old, func(tx *Tx) (User, bool, error) {
		return tx.Users().Ensure(UserKey{Platform: "test", PlatformID: "U1"}, "ＳＡＴＯ\u200b", "ja")
	})
	if err != nil {
		t.Fatal(err)
	}
	oldForm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ") }
	err = old.kv.Update(func(tx kv.Tx) error {
		for _, b := range []string{bktTopicsByName, bktUsersByName} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		for _, k := range [][]byte{indexKey(oldForm("Straße"), tp.ID), indexKey(oldForm("キャ\u200bリア"), tp.ID)} {
			if err := tx.Bucket(bktTopicsByName).Put(k, []byte{}); err != nil {
				return err
			}
		}
		return tx.Bucket(bktUsersByName).Put(indexKey(oldForm("ＳＡＴＯ\u200b"), u.ID), []byte{})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testRead(old, func(tx *Tx) (Topic, error) { return tx.Topics().ByName("STRASSE") }); err == nil {
		t.Fatal("the old index already finds the new form: the test proves nothing")
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{"STRASSE", "straße", "キャリア"} {
		if got, err := testRead(s, func(tx *Tx) (Topic, error) { return tx.Topics().ByName(name) }); err != nil || got.ID != tp.ID {
			t.Errorf("TopicByName(%q) after migration = %+v, %v; want topic %d", name, got, err, tp.ID)
		}
	}
	if us, err := testRead(s, func(tx *Tx) ([]User, error) { return tx.Users().ByName("sato") }); err != nil || len(us) != 1 || us[0].ID != u.ID {
		t.Errorf("UsersByName(sato) after migration = %+v, %v; want user %d", us, err, u.ID)
	}
}
