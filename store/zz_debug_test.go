package store

import (
	"fmt"
	"testing"
)

func TestZZDebug(t *testing.T) {
	for _, q := range []string{"宇宙飛行士になるには", "家で仕事をしたい", "夜遅くまで国会で待たされる", "超過勤務 手当"} {
		for _, w := range parseTipQuery(q, builtinDict()) {
			fmt.Printf("%s: %q ->", q, w.text)
			for _, a := range w.alts {
				fmt.Printf(" %s%v", a.text, a.tokens)
			}
			fmt.Println()
		}
	}
}
