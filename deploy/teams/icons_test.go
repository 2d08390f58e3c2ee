package teamsapp

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
)

// update regenerates the icons: go test ./deploy/teams -run TestIcons -update
var update = flag.Bool("update", false, "rewrite color.png and outline.png")

// accent is the manifest's accentColor, #2B6CB0.
var accent = color.NRGBA{0x2B, 0x6C, 0xB0, 0xFF}

// bubble reports whether (x, y) of a size×size icon lies in a speech
// bubble: a rounded rectangle with a tail at its lower left. inset
// shrinks it, to draw an outline as the difference of two bubbles.
func bubble(x, y, size, inset float64) bool {
	u := size / 32 // the design is on a 32-unit grid
	left, top, right, bottom := 4*u+inset, 6*u+inset, 28*u-inset, 22*u-inset
	r := 5*u - inset
	if x >= left && x <= right && y >= top && y <= bottom {
		cx := min(max(x, left+r), right-r)
		cy := min(max(y, top+r), bottom-r)
		if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
			return true
		}
	}
	// The tail: a triangle from (9,bottom) (15,bottom) down to (8,27).
	ax, ay := 9*u+inset, bottom-1
	bx, by := 15*u-inset, bottom-1
	tx, ty := 8*u+inset/2, 27*u-inset*1.5
	return inTriangle(x, y, ax, ay, bx, by, tx, ty)
}

func inTriangle(px, py, ax, ay, bx, by, cx, cy float64) bool {
	d1 := (px-bx)*(ay-by) - (ax-bx)*(py-by)
	d2 := (px-cx)*(by-cy) - (bx-cx)*(py-cy)
	d3 := (px-ax)*(cy-ay) - (cx-ax)*(py-ay)
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}

// dots reports whether (x, y) is in one of the three dots inside the
// bubble ("…", someone is talking).
func dots(x, y, size float64) bool {
	u := size / 32
	for _, cx := range []float64{10, 16, 22} {
		dx, dy := x-cx*u, y-14*u
		if dx*dx+dy*dy <= (1.8*u)*(1.8*u) {
			return true
		}
	}
	return false
}

// colorIcon is the 192×192 full-color icon: a white bubble with accent
// dots on an accent square.
func colorIcon() *image.NRGBA {
	const n = 192
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			c := accent
			if bubble(fx, fy, n, 0) {
				c = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
				if dots(fx, fy, n) {
					c = accent
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// outlineIcon is the 32×32 outline icon: a white bubble outline and dots
// on a transparent background, as Teams requires.
func outlineIcon() *image.NRGBA {
	const n = 32
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			if (bubble(fx, fy, n, 0) && !bubble(fx, fy, n, 2)) || dots(fx, fy, n) {
				img.SetNRGBA(x, y, color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF})
			}
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return b.Bytes()
}

// TestIcons checks the committed icons: valid PNGs of the sizes Teams
// wants, the outline white on transparent, and each what the generator
// draws (run with -update to rewrite them).
func TestIcons(t *testing.T) {
	for _, tc := range []struct {
		name string
		img  *image.NRGBA
		size int
	}{
		{"color.png", colorIcon(), 192},
		{"outline.png", outlineIcon(), 32},
	} {
		want := encodePNG(t, tc.img)
		if *update {
			if err := os.WriteFile(tc.name, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(tc.name)
		if err != nil {
			t.Fatalf("read %s: %v (generate it with -update)", tc.name, err)
		}
		img, err := png.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", tc.name, err)
		}
		if b := img.Bounds(); b.Dx() != tc.size || b.Dy() != tc.size {
			t.Errorf("%s: got %dx%d, want %dx%d", tc.name, b.Dx(), b.Dy(), tc.size, tc.size)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator draws; run go test -run TestIcons -update", tc.name)
		}
	}
	out, err := png.Decode(bytes.NewReader(encodePNG(t, outlineIcon())))
	if err != nil {
		t.Fatal(err)
	}
	var transparent, white int
	b := out.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(out.At(x, y)).(color.NRGBA)
			switch {
			case c.A == 0:
				transparent++
			case c == color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}:
				white++
			default:
				t.Fatalf("outline.png pixel (%d,%d) = %v; want white or transparent", x, y, c)
			}
		}
	}
	if transparent == 0 || white == 0 {
		t.Errorf("outline.png: %d transparent and %d white pixels; want both", transparent, white)
	}
}
