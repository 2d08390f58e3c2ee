package bottest_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
)

func TestBufferConcurrentWrites(t *testing.T) {
	var b bottest.Buffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				fmt.Fprintf(&b, "w%d\n", i)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := strings.Count(b.String(), "\n"); got != 800 {
		t.Errorf("lines = %d, want 800", got)
	}
}
