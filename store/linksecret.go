package store

import (
	"crypto/rand"
	"fmt"
)

// linkSecretKey is the meta key of the secret report links are signed with.
const linkSecretKey = "report_link_secret"

// linkSecretLen is the length of a generated link secret: 256 bits, the
// size of an HMAC-SHA256 key.
const linkSecretLen = 32

// LinkSecret returns the secret that signs the report pages' links and
// sessions, generating it on first use (so it needs a writable
// transaction once). It lives in the meta bucket: a backup carries it,
// and a restored file keeps its sessions valid.
func (tx *Tx) LinkSecret() ([]byte, error) {
	meta := tx.bucket(bktMeta)
	if v := meta.Get([]byte(linkSecretKey)); len(v) == linkSecretLen {
		return append([]byte(nil), v...), nil
	}
	if err := tx.writable(); err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	secret := make([]byte, linkSecretLen)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	if err := meta.Put([]byte(linkSecretKey), secret); err != nil {
		return nil, fmt.Errorf("link secret: %w", err)
	}
	return append([]byte(nil), secret...), nil
}
