package listingfile

import (
	"cmp"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzValidate: the listing file parser takes any bytes without panicking,
// answers the same twice, and sorts its problems by line (whole-file
// problems last).
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ps := Validate("listing.yaml", data)
		_, again := Validate("listing.yaml", data)
		if len(ps) != len(again) {
			t.Fatalf("%d problems, then %d", len(ps), len(again))
		}
		key := func(p Problem) int {
			if p.Line == 0 {
				return math.MaxInt // about the whole file: last
			}
			return p.Line
		}
		if !slices.IsSortedFunc(ps, func(a, b Problem) int { return cmp.Compare(key(a), key(b)) }) {
			t.Fatalf("problems not sorted by line: %+v", ps)
		}
	})
}
