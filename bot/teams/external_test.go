package teams

import (
	"context"
	"testing"
	"time"
)

// With Options.External, Run does not listen (the caller serves Handler)
// and Ready holds while it runs.
func TestExternalRunAndReady(t *testing.T) {
	a, err := New(Options{External: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.Ready() == nil {
		t.Errorf("Ready before Run = nil, want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx, nil) }()
	deadline := time.Now().Add(10 * time.Second)
	for a.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if a.Addr() != nil {
		t.Errorf("Addr = %v, want nil: External does not listen", a.Addr())
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if a.Ready() == nil {
		t.Errorf("Ready after Run = nil, want an error")
	}
}
