package main

import "math"

// cutoff is the depth of the ranked lists measured.
const cutoff = 10

// scores are the measures of one ranked list against its labels.
type scores struct {
	MRR, NDCG, P3 float64
}

// measure returns MRR@10, nDCG@10 (binary relevance) and P@3 of ranked
// against relevant.
func measure(ranked []string, relevant map[string]bool) scores {
	var s scores
	var dcg float64
	for i, id := range ranked {
		if i == cutoff {
			break
		}
		if !relevant[id] {
			continue
		}
		if s.MRR == 0 {
			s.MRR = 1 / float64(i+1)
		}
		dcg += 1 / math.Log2(float64(i+2))
		if i < 3 {
			s.P3 += 1.0 / 3
		}
	}
	var ideal float64
	for i := 0; i < min(len(relevant), cutoff); i++ {
		ideal += 1 / math.Log2(float64(i+2))
	}
	if ideal > 0 {
		s.NDCG = dcg / ideal
	}
	return s
}

// tally sums scores for a mean.
type tally struct {
	n   int
	sum scores
}

func (t *tally) add(s scores) {
	t.n++
	t.sum.MRR += s.MRR
	t.sum.NDCG += s.NDCG
	t.sum.P3 += s.P3
}

func (t tally) mean() scores {
	if t.n == 0 {
		return scores{}
	}
	n := float64(t.n)
	return scores{t.sum.MRR / n, t.sum.NDCG / n, t.sum.P3 / n}
}
