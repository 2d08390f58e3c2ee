package pairing

import "errors"

// Pair forms one round's groups. It fails only on an input it cannot
// trust: a person listed twice, an empty id, or unknown Size.
func Pair(in Input) (Result, error) {
	return Result{}, errors.New("pairing: not built yet")
}

// Shuffle is the Teams Icebreaker template's pairing, a baseline: the
// people shuffled by the seed, neighbours paired, the odd one dropped. It
// knows no rules and no history.
func Shuffle(in Input) (Result, error) {
	return Result{}, errors.New("pairing: not built yet")
}

// Greedy is a baseline with the matcher's rules and weights: the heaviest
// allowed edge first, then the next heaviest between unpaired people.
func Greedy(in Input) (Result, error) {
	return Result{}, errors.New("pairing: not built yet")
}
