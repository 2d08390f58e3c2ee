package pgcluster

import (
	"errors"
	"net"
	"net/url"
	"path/filepath"
	"sync"
)

// Socket is the unix socket the cluster listens on (the default port's).
func (c *Cluster) Socket() string { return filepath.Join(c.Dir, ".s.PGSQL.5432") }

// Proxy is a TCP proxy on loopback in front of a server, to play the
// network between a client and its database failing: Pause stops
// forwarding in both directions while every connection stays open (a
// link that went silent: a switch, a partition, a peer's kernel frozen),
// Resume goes on where it stopped, and Drop closes every connection at
// once (a link that was reset). It is safe for concurrent use.
type Proxy struct {
	ln              net.Listener
	network, target string

	mu     sync.Mutex
	paused chan struct{} // non-nil while paused; closed by Resume
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// NewProxy listens on a free loopback port and forwards each connection
// to target on network ("unix" with a cluster's Socket, or "tcp").
func NewProxy(network, target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, network: network, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Go(p.accept)
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// URL is url (a cluster's URL, or any libpq URL) pointed at the proxy:
// its host becomes the proxy's address over TCP.
func (p *Proxy) URL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Del("host")
	q.Del("port")
	u.RawQuery = q.Encode()
	u.Host = p.Addr()
	if u.User == nil {
		if user := q.Get("user"); user != "" {
			u.User = url.User(user)
		}
	}
	return u.String(), nil
}

// Pause stops forwarding: bytes sent either way wait in the proxy, and
// new connections are accepted and wait too, until Resume.
func (p *Proxy) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused == nil {
		p.paused = make(chan struct{})
	}
}

// Resume forwards again what waited and what comes.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused != nil {
		close(p.paused)
		p.paused = nil
	}
}

// Drop closes every connection through the proxy, both ends; new ones
// are forwarded (unless paused).
func (p *Proxy) Drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// Close stops listening, closes every connection and waits for the
// proxy's goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	err := p.ln.Close()
	p.Drop()
	p.Resume()
	p.wg.Wait()
	return err
}

// gate returns once forwarding is on, or with false when the proxy closed.
func (p *Proxy) gate() bool {
	p.mu.Lock()
	ch, closed := p.paused, p.closed
	p.mu.Unlock()
	if ch != nil {
		<-ch
	}
	return !closed
}

// track adds c to the connections Drop closes, or closes it when the
// proxy is closed.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	c.Close()
}

func (p *Proxy) accept() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if !p.track(in) {
			continue
		}
		p.wg.Go(func() { p.serve(in) })
	}
}

// serve forwards one connection: a paused proxy dials the server only
// once it resumes, as a silent link connects nothing.
func (p *Proxy) serve(in net.Conn) {
	defer p.untrack(in)
	if !p.gate() {
		return
	}
	out, err := net.Dial(p.network, p.target)
	if err != nil {
		return
	}
	if !p.track(out) {
		return
	}
	defer p.untrack(out)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				if !p.gate() {
					return
				}
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return // io.EOF or a closed end: the other pipe follows
			}
		}
	}
	go pipe(out, in)
	go pipe(in, out)
	<-done
	// One side ended: end both, which ends the other pipe.
	in.Close()
	out.Close()
	<-done
}
