// Package teamsapp holds the Microsoft Teams app package of soudan: the
// manifest (with the placeholder {{APP_ID}}), its English localization and
// the two icons, and writes the zip that Teams uploads.
package teamsapp

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"time"
)

// files are the package's files, as committed.
//
//go:embed manifest.json en-us.json color.png outline.png
var files embed.FS

// now is the clock the package's entries are dated by.
var now = time.Now

// placeholder stands for the bot's app id in manifest.json.
const placeholder = "{{APP_ID}}"

// appID is a Microsoft app id: a GUID.
var appID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Manifest returns manifest.json with the app id filled in. It checks
// that the result is valid JSON.
func Manifest(id string) ([]byte, error) {
	if !appID.MatchString(id) {
		return nil, fmt.Errorf("app id %q is not a GUID", id)
	}
	raw, err := files.ReadFile("manifest.json")
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	out := bytes.ReplaceAll(raw, []byte(placeholder), []byte(id))
	if !json.Valid(out) {
		return nil, fmt.Errorf("manifest.json is not valid JSON")
	}
	return out, nil
}

// WritePackage writes the app package zip to w: manifest.json for the app
// id, en-us.json, color.png and outline.png, at the zip's root as Teams
// wants them.
func WritePackage(w io.Writer, id string) error {
	manifest, err := Manifest(id)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	// Entries carry the time the package is written (zip.Writer.Create
	// leaves them at the zero DOS date, which unzip shows as 1980-00-00).
	modified := now()
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return fmt.Errorf("zip %s: %w", name, err)
		}
		_, err = f.Write(data)
		return err
	}
	if err := add("manifest.json", manifest); err != nil {
		return err
	}
	for _, name := range []string{"en-us.json", "color.png", "outline.png"} {
		data, err := files.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if err := add(name, data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}
