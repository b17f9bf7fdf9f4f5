package imaging

import (
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// FuzzClean: whatever the bytes, Clean does not panic, and what it accepts
// is a re-encoded image within the limits that decodes again to the same
// size (so only real pixels are ever stored).
func FuzzClean(f *testing.F) {
	f.Add(encodePNG(f, 16, 16))
	f.Add(encodeJPEG(f, 16, 9))
	f.Add(headerPNG(256, 256))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, out, err := Clean(data)
		if err != nil {
			if _, ok := shelf.AsError(err); !ok {
				t.Fatalf("not a shelf error: %v", err)
			}
			return
		}
		if info.Width*info.Height > shelf.MaxImagePixels || info.Bytes != len(out) {
			t.Fatalf("accepted %+v", info)
		}
		again, _, err := Clean(out)
		if err != nil || again.Width != info.Width || again.Height != info.Height {
			t.Fatalf("the stored copy does not decode to %dx%d: %v", info.Width, info.Height, err)
		}
	})
}
