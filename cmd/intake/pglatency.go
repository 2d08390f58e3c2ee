package main

import (
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"time"
)

// latencyProxy stands for a network between the replicas and PostgreSQL
// on a machine that has only loopback: it accepts TCP connections on a
// loopback port, forwards each to the cluster's unix socket, and holds
// every chunk the server sends for d before passing it on, so that each
// round trip to the database costs d more, as a database in the next
// rack or zone does. The delay is a latency, not a rate limit: chunks in
// flight overlap (a pipelined batch still costs one d).
type latencyProxy struct {
	ln     net.Listener
	socket string
	d      time.Duration
	wg     sync.WaitGroup
}

// startLatencyProxy serves until close.
func startLatencyProxy(socket string, d time.Duration) (*latencyProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &latencyProxy{ln: ln, socket: socket, d: d}
	p.wg.Go(p.serve)
	return p, nil
}

// url is the URL of database name through the proxy.
func (p *latencyProxy) url(name string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", p.ln.Addr(), name)
}

func (p *latencyProxy) close() {
	p.ln.Close()
	p.wg.Wait()
}

func (p *latencyProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.wg.Go(func() { p.forward(c) })
	}
}

// forward carries one connection: client to server at once, server to
// client each chunk d after it arrived.
func (p *latencyProxy) forward(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("unix", p.socket)
	if err != nil {
		return
	}
	defer server.Close()
	type chunk struct {
		b   []byte
		due time.Time
	}
	chunks := make(chan chunk, 1024)
	go func() {
		defer close(chunks)
		for {
			buf := make([]byte, 32<<10)
			n, err := server.Read(buf)
			if n > 0 {
				chunks <- chunk{buf[:n], time.Now().Add(p.d)}
			}
			if err != nil {
				return
			}
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range chunks {
			time.Sleep(time.Until(c.due))
			if _, err := client.Write(c.b); err != nil {
				return
			}
		}
		client.Close()
	}()
	io.Copy(server, client) //nolint:errcheck // either side closing ends the connection
	server.Close()
	<-done
}

// socketOf is the unix socket of the tool's cluster.
func socketOf(c *pgCluster) string { return filepath.Join(c.Dir, ".s.PGSQL.5432") }
