package web

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef")
	testNow    = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
)

func TestTokenRoundTrip(t *testing.T) {
	c := claims{Kind: kindLink, User: 42, Exp: testNow.Add(15 * time.Minute), Nonce: newNonce()}
	tok := sign(testSecret, c)
	got, err := verify(testSecret, kindLink, tok, testNow)
	if err != nil {
		t.Fatalf("verify a fresh link: %v", err)
	}
	if got.User != 42 || !got.Exp.Equal(c.Exp) || got.Nonce != c.Nonce {
		t.Errorf("claims: got %+v, want %+v", got, c)
	}
}

func TestTokenRefusals(t *testing.T) {
	good := sign(testSecret, claims{Kind: kindLink, User: 42, Exp: testNow.Add(time.Minute), Nonce: "00"})
	p, s, _ := strings.Cut(good, ".")
	other := sign([]byte("another secret of thirty-two b.."), claims{Kind: kindLink, User: 42, Exp: testNow.Add(time.Minute)})
	// The payload of user 43 with user 42's signature.
	forged43 := tokenEncoding.EncodeToString([]byte("l:43:"+strings.Split(mustDecode(t, p), ":")[2]+":00")) + "." + s
	cases := []struct {
		name, kind, tok string
		at              time.Time
		want            error
	}{
		{"expired", kindLink, good, testNow.Add(time.Minute), errExpired},
		{"another key", kindLink, other, testNow, errForged},
		{"payload changed", kindLink, forged43, testNow, errForged},
		{"signature cut", kindLink, good[:len(good)-2], testNow, errForged},
		{"no signature", kindLink, p, testNow, errForged},
		{"session as link", kindSession, good, testNow, errForged},
		{"empty", kindLink, "", testNow, errForged},
		{"garbage", kindLink, "..%%", testNow, errForged},
	}
	for _, c := range cases {
		if _, err := verify(testSecret, c.kind, c.tok, c.at); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func mustDecode(t *testing.T, p string) string {
	t.Helper()
	b, err := tokenEncoding.DecodeString(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzVerify: no input panics, and nothing but a token this secret signed
// verifies.
func FuzzVerify(f *testing.F) {
	f.Add(sign(testSecret, claims{Kind: kindLink, User: 1, Exp: testNow.Add(time.Hour), Nonce: "ab"}))
	f.Add("bDox")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := verify(testSecret, kindLink, tok, testNow)
		if err == nil && sign(testSecret, c) != tok {
			t.Fatalf("verified %q, which is not what signing its claims gives", tok)
		}
	})
}
