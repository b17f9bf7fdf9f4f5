package imaging

import (
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// BenchmarkUpload compares decoding an upload whole and re-encoding it
// (Clean) with the header check alone that uploads had before (the
// baseline), on a 1280×720 screenshot in each format.
func BenchmarkUpload(b *testing.B) {
	for _, tc := range []struct {
		name string
		data []byte
	}{{"png", encodePNG(b, 1280, 720)}, {"jpeg", encodeJPEG(b, 1280, 720)}} {
		b.Run(tc.name+"/header-only", func(b *testing.B) {
			for b.Loop() {
				if _, err := shelf.CheckImage(tc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/clean", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Clean(tc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
