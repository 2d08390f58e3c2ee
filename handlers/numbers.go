package handlers

import (
	"fmt"
	"math"
)

// Signed writes a figure that has a sign (an eNPS, a change, a difference
// from the organisation) the one way every output writes it: rounded to
// decimals, with its sign, and 0 (0.00) with none when it rounds to zero,
// so chat, the report pages and their charts never disagree (±0, +0, -0).
func Signed(v float64, decimals int) string {
	s := fmt.Sprintf("%+.*f", decimals, v)
	if z := fmt.Sprintf("%.*f", decimals, 0.0); s == "+"+z || s == "-"+z || math.IsNaN(v) {
		return z
	}
	return s
}
