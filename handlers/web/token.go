package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Kinds of signed tokens: a link the bot sends, and the session cookie
// opening it sets. The kind is signed, so one cannot pass for the other.
const (
	kindLink    = "l"
	kindSession = "s"
)

// Why a token is refused.
var (
	errForged  = errors.New("token: not signed by this bot, or altered")
	errExpired = errors.New("token: expired")
)

// claims are what a token says: whose it is, until when, and (for links)
// a nonce that makes each link usable once.
type claims struct {
	Kind  string
	User  uint64
	Exp   time.Time // Unix seconds
	Nonce string    // 16 hex digits
}

// tokenEncoding is URL- and cookie-safe base64 without padding.
var tokenEncoding = base64.RawURLEncoding.Strict()

// newNonce is 64 random bits in hex.
func newNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sign returns the token of c under secret: the claims, a dot, and their
// HMAC-SHA256, both base64url.
func sign(secret []byte, c claims) string {
	payload := c.Kind + ":" + strconv.FormatUint(c.User, 10) + ":" + strconv.FormatInt(c.Exp.Unix(), 10) + ":" + c.Nonce
	p := tokenEncoding.EncodeToString([]byte(payload))
	return p + "." + tokenEncoding.EncodeToString(mac(secret, p))
}

// mac is the HMAC-SHA256 of the encoded payload p.
func mac(secret []byte, p string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("soudan-report:"))
	h.Write([]byte(p))
	return h.Sum(nil)
}

// verify checks token's signature first (a forged or altered token is
// errForged whatever it claims), then its kind and its expiry at now.
func verify(secret []byte, kind, token string, now time.Time) (claims, error) {
	if len(token) > 512 {
		return claims{}, errForged
	}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return claims{}, errForged
	}
	got, err := tokenEncoding.DecodeString(sig)
	// The decoder skips \r and \n: only the one encoding of the signature
	// is the token, so that no two strings carry one signature.
	if err != nil || tokenEncoding.EncodeToString(got) != sig || !hmac.Equal(got, mac(secret, p)) {
		return claims{}, errForged
	}
	raw, err := tokenEncoding.DecodeString(p)
	if err != nil {
		return claims{}, errForged
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 4 || parts[0] != kind {
		return claims{}, errForged
	}
	user, err1 := strconv.ParseUint(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || user == 0 {
		return claims{}, errForged
	}
	c := claims{Kind: kind, User: user, Exp: time.Unix(exp, 0), Nonce: parts[3]}
	if !now.Before(c.Exp) {
		return c, errExpired
	}
	return c, nil
}
