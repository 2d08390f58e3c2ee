package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// damagedVariants writes a data file with a few hundred topics, then
// variants of it: cut short at several places, and one byte flipped in a
// page of records. It returns the whole file's bytes and the variants.
func damagedVariants(t *testing.T) ([]byte, map[string][]byte) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src.db")
	st, err := store.Open(src, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) {
			return tx.Topics().Create(store.Topic{Name: fmt.Sprintf("トピック %03d %s", i, strings.Repeat("あ", i%5*30))})
		}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	whole, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := store.Check(src, 0)
	if err != nil {
		t.Fatalf("Check(whole file) = %v", err)
	}
	end := int(rep.Pages) * int(rep.PageSize)
	out := map[string][]byte{}
	for _, n := range []int{100, int(rep.PageSize) + 10, end / 2, end - 1} {
		out[fmt.Sprintf("cut at %d", n)] = whole[:n]
	}
	// A flipped byte in the middle of a page of records: the first one
	// Check finds (bbolt keeps no checksum of pages; a flip in free space
	// is harmless).
	for pg := int(rep.Pages) - 1; pg >= 2; pg-- {
		b := bytes.Clone(whole)
		at := pg*int(rep.PageSize) + 40
		b[at] ^= 0x5A
		p := filepath.Join(t.TempDir(), "flip.db")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Check(p, 0); errors.Is(err, store.ErrDamaged) {
			out[fmt.Sprintf("byte %d flipped", at)] = b
			break
		}
	}
	if len(out) != 5 {
		t.Fatalf("no flipped byte was found damaged: %v", out)
	}
	return whole, out
}

// Every command that reads the data file says a damaged one is damaged and
// what to do, changes nothing and writes nothing (before: a panic with a
// stack trace, or a SIGBUS that killed the process).
func TestDamagedDataFile(t *testing.T) {
	t.Parallel()
	_, variants := damagedVariants(t)
	for name, b := range variants {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "soudan.db")
			writeFile(t, db, string(b))
			for _, args := range [][]string{
				{"backup", filepath.Join(dir, "copy.db")},
				{"compact"},
				{"export", "json", filepath.Join(dir, "all.json")},
				{"console"},
				{"check", db},
			} {
				_, err := runCommand(t, append(args, "-db", db)...)
				if !errors.Is(err, store.ErrDamaged) {
					t.Errorf("%s: err = %v, want ErrDamaged", args[0], err)
					continue
				}
				wantContains(t, args[0]+" error", err.Error(), "damaged", "The data file "+db+" is damaged", "soudan restore BACKUP", "soudan check BACKUP")
				if got, _ := os.ReadFile(db); !bytes.Equal(got, b) {
					t.Errorf("%s changed the damaged data file", args[0])
				}
			}
			for _, f := range []string{"copy.db", "all.json"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					t.Errorf("%s was written from a damaged data file", f)
				}
			}
			noTemps(t, dir)
			// The exit status says so too.
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"check", db}, strings.NewReader(""), &stdout, &stderr); code != exitError {
				t.Errorf("soudan check DAMAGED: exit %d, want %d; stderr:\n%s", code, exitError, &stderr)
			}
		})
	}
}

// restore refuses a damaged backup and changes nothing; it replaces a
// damaged data file with a good backup, keeping the damaged one aside.
func TestRestoreDamaged(t *testing.T) {
	t.Parallel()
	whole, variants := damagedVariants(t)
	for name, b := range variants {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db, backup := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "backup.db")
			seed(t, db, "キャリア")
			before, _ := os.ReadFile(db)
			writeFile(t, backup, string(b))
			_, err := runCommand(t, "restore", "-db", db, backup)
			if !errors.Is(err, store.ErrDamaged) {
				t.Fatalf("restore(damaged backup) = %v, want ErrDamaged", err)
			}
			wantContains(t, "restore error", err.Error(), backup+" is damaged, nothing changed", "Restore another backup", "soudan check FILE")
			if got, _ := os.ReadFile(db); !bytes.Equal(got, before) {
				t.Errorf("restore of a damaged backup changed the data file")
			}
			if aside, _ := filepath.Glob(db + ".before-restore-*"); len(aside) > 0 {
				t.Errorf("restore of a damaged backup kept a file aside: %v", aside)
			}
			noTemps(t, dir)

			// The other way round: the data file is damaged, the backup whole.
			writeFile(t, db, string(b))
			writeFile(t, backup, string(whole))
			if _, err := runCommand(t, "restore", "-db", db, backup); err != nil {
				t.Fatalf("restore(good backup over a damaged data file) = %v", err)
			}
			aside, _ := filepath.Glob(db + ".before-restore-*[0-9]")
			if len(aside) != 1 {
				t.Fatalf("kept aside: %v, want the damaged file (and its inbox file)", aside)
			}
			if got, _ := os.ReadFile(aside[0]); !bytes.Equal(got, b) {
				t.Errorf("the damaged file was not kept aside as it was")
			}
			got, err := runCommand(t, "check", "-db", db, db)
			if err != nil {
				t.Fatalf("check after restore: %v", err)
			}
			wantContains(t, "check output", got, db+": OK, schema version", "topics 200")
		})
	}
}
