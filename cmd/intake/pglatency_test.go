package main

import (
	"bufio"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// TestLatencyProxy: an answer through the proxy comes at least d late,
// and answers in flight overlap (two requests sent together cost one d,
// not two): a latency, not a rate.
func TestLatencyProxy(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }() //nolint:errcheck // an echo
		}
	}()
	const d = 100 * time.Millisecond
	p, err := startLatencyProxy(sock, d)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	c, err := net.Dial("tcp", p.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	roundTrip := func(lines int) time.Duration {
		start := time.Now()
		for range lines {
			if _, err := c.Write([]byte("相談\n")); err != nil {
				t.Fatal(err)
			}
		}
		for range lines {
			if s, err := r.ReadString('\n'); err != nil || s != "相談\n" {
				t.Fatalf("echo = %q, %v", s, err)
			}
		}
		return time.Since(start)
	}
	if took := roundTrip(1); took < d {
		t.Errorf("a round trip took %s, want at least %s", took, d)
	}
	if took := roundTrip(2); took < d || took >= 2*d {
		t.Errorf("two pipelined requests took %s, want about %s", took, d)
	}
}
