package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/soudan/soudan/handlers/knowledge"
	"github.com/soudan/soudan/handlers/knowledge/tipfile"
	"github.com/soudan/soudan/store"
)

// errTipsRefused reports an import that stored the good records and left
// out the bad ones.
var errTipsRefused = errors.New("records with problems were left out")

// importTips runs "soudan import tips FILE|DIR": JSON Lines from another
// system, or a directory "export knowledge" wrote. The good records are
// created or updated (by their source key, so a second run changes
// nothing); each bad one is listed with its line (or file) and nothing of
// it is stored, and the command then fails so scripts notice. With
// -dry-run nothing changes. The bot must be stopped: it holds the file.
func (m *Main) importTips(path string) error {
	out := m.Stdout
	if err := needInput("import tips", "file or directory", path); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("import tips: %w", err)
	}
	var recs []tipfile.Record
	var probs []tipfile.Problem
	if st.IsDir() {
		if recs, probs, err = tipfile.ReadDir(path); err != nil {
			return fmt.Errorf("import tips: %w", err)
		}
	} else {
		data, err := readLimited(path, maxImportFile)
		if err != nil {
			return fmt.Errorf("import tips: %w", err)
		}
		recs, probs = tipfile.ParseJSONL(path, data)
	}
	if m.Config.DryRun {
		if _, err := os.Stat(m.Config.DataFile()); errors.Is(err, fs.ErrNotExist) {
			// Opening would create the file: plan against an empty one in memory.
			fmt.Fprintf(out, "dry run: %s does not exist yet; every tip would be created\n", m.Config.DataFile())
			return reportTips(out, path, len(recs), knowledge.ImportResult{Created: len(recs), NewTopics: topicsOf(recs)}, probs, true)
		}
	}
	if err := m.openStore(); err != nil {
		return fmt.Errorf("import tips: %w", err)
	}
	res, err := knowledge.Import(m.store, path, recs, m.Config.DryRun)
	if err != nil {
		return err
	}
	m.log.Debug("tips imported", "created", res.Created, "updated", res.Updated, "unchanged", res.Unchanged, "refused", len(probs)+len(res.Problems), "dry_run", m.Config.DryRun)
	err = reportTips(out, path, len(recs), res, append(probs, res.Problems...), m.Config.DryRun)
	if !m.Config.DryRun && res.Created+res.Updated >= compactAfterImport {
		if cerr := m.compactAfterImport(); cerr != nil && err == nil {
			err = cerr
		}
	}
	return err
}

// compactAfterImport is how many tips created or updated make an import
// compact the data file after it: a large import leaves the search
// index's pages half full and scattered (a 100,000-tip import: 219 MB,
// 108 MB compacted), and a search then touches twice the pages.
const compactAfterImport = 1000

// compactAfterImport closes the data file and compacts it, as `soudan
// compact` does (the import holds the file, so the bot is stopped).
func (m *Main) compactAfterImport() error {
	if err := m.Close(); err != nil {
		return fmt.Errorf("import tips: %w", err)
	}
	db := m.Config.DataFile()
	before, after, err := store.CompactFile(db, storeTimeout)
	if err != nil {
		return fmt.Errorf("import tips: compact %s: %w", db, err)
	}
	m.log.Debug("compacted the data file after the import", "path", db, "before", before, "after", after)
	_, err = fmt.Fprintf(m.Stdout, "compacted %s after the import: %d bytes before, %d bytes after\n", db, before, after)
	return err
}

// reportTips prints what an import did (or would do) and fails when
// records were left out.
func reportTips(out interface{ Write([]byte) (int, error) }, path string, read int, res knowledge.ImportResult, probs []tipfile.Problem, dry bool) error {
	verb := ""
	if dry {
		verb = "would be "
	}
	fmt.Fprintf(out, "%s: %s read, %s with problems\n", path, plural(read+len(probs), "tip"), plural(len(probs), "record"))
	for _, p := range probs {
		fmt.Fprintln(out, "  "+p.String())
	}
	fmt.Fprintf(out, "%d %screated, %d %supdated, %d unchanged\n", res.Created, verb, res.Updated, verb, res.Unchanged)
	if len(res.NewTopics) > 0 {
		fmt.Fprintf(out, "new topics %s: %s\n", strings.TrimSpace(verb+"created"), strings.Join(res.NewTopics, ", "))
	}
	if res.Translated > 0 {
		fmt.Fprintf(out, "%s %slinked to their translation_of\n", plural(res.Translated, "tip"), verb)
	}
	if dry {
		fmt.Fprintln(out, "dry run: nothing changed")
	}
	if len(probs) > 0 {
		return fmt.Errorf("import tips: %s: %s; %w", path, plural(len(probs), "record"), errTipsRefused)
	}
	return nil
}

// topicsOf are the distinct topics records name, in order.
func topicsOf(recs []tipfile.Record) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range recs {
		if r.Topic != "" && !seen[r.Topic] {
			seen[r.Topic] = true
			out = append(out, r.Topic)
		}
	}
	return out
}

// exportKnowledge runs "soudan export knowledge DIR": every tip as a
// Markdown file, a directory per topic (bot stopped, like backup).
func (m *Main) exportKnowledge(dir string) error {
	if err := m.needDataFile("export knowledge"); err != nil {
		return err
	}
	if err := m.checkNewDir("export knowledge", dir); err != nil {
		return err
	}
	if err := m.openStore(); err != nil {
		return fmt.Errorf("export knowledge: %w", err)
	}
	if m.Config.Force {
		// checkNewDir made sure it holds an earlier export only.
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("export knowledge: %w", err)
		}
	}
	n, err := knowledge.Export(m.store, dir)
	if err != nil {
		return err
	}
	m.log.Debug("knowledge exported", "tips", n, "dir", dir)
	_, err = fmt.Fprintf(m.Stdout, "wrote %s to %s\n", plural(n, "tip"), dir)
	return err
}
