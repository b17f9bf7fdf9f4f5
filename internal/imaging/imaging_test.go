package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

func encodePNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// headerPNG is a PNG signature and an IHDR chunk, nothing else: 33 bytes
// that announce a w×h canvas.
func headerPNG(w, h uint32) []byte {
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 6 // 8-bit RGBA
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// withEXIF puts an APP1 Exif segment holding a GPS position right after
// the JPEG's SOI marker, as a phone does.
func withEXIF(j []byte) []byte {
	payload := []byte("Exif\x00\x00MM\x00\x2a GPSLatitude 39.9042 N GPSLongitude 116.4074 E")
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, j[2:]...)
}

func TestClean(t *testing.T) {
	html := []byte("<html><script>alert(document.cookie)</script></html>")
	for _, tc := range []struct {
		name   string
		data   []byte
		code   string
		format shelf.ImageFormat
		absent []byte // must not be in the stored copy
	}{
		{"png", encodePNG(t, 256, 256), "", shelf.ImagePNG, nil},
		{"jpeg", encodeJPEG(t, 1280, 720), "", shelf.ImageJPEG, nil},
		{"header-only png (33 bytes)", headerPNG(256, 256), "image_invalid", "", nil},
		{"png with html appended", append(encodePNG(t, 128, 128), html...), "", shelf.ImagePNG, []byte("<script")},
		{"jpeg with html appended", append(encodeJPEG(t, 640, 360), html...), "", shelf.ImageJPEG, []byte("<script")},
		{"jpeg with exif gps", withEXIF(encodeJPEG(t, 640, 360)), "", shelf.ImageJPEG, []byte("GPSLatitude")},
		{"truncated png", encodePNG(t, 256, 256)[:200], "image_invalid", "", nil},
		{"truncated jpeg", encodeJPEG(t, 256, 256)[:300], "image_invalid", "", nil},
		{"bomb by pixels", headerPNG(4097, 4096), "image_dimensions_too_large", "", nil},
		{"bomb by side", headerPNG(1, 1<<30), "image_dimensions_too_large", "", nil},
		{"header-only webp", []byte("RIFF\x16\x00\x00\x00WEBPVP8L\x05\x00\x00\x00\x2f\xff\xc0\x3f\x00"), "image_invalid", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, out, err := Clean(tc.data)
			if tc.code != "" {
				if e, ok := shelf.AsError(err); !ok || e.Code != tc.code {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != tc.format || info.Bytes != len(out) {
				t.Errorf("info %+v for %d bytes", info, len(out))
			}
			if tc.absent != nil && bytes.Contains(out, tc.absent) {
				t.Errorf("the stored copy still holds %q", tc.absent)
			}
			if bytes.Contains(out, []byte("Exif")) {
				t.Error("the stored copy holds Exif metadata")
			}
			if again, _, err := Clean(out); err != nil || again.Width != info.Width {
				t.Errorf("the stored copy does not decode: %v", err)
			}
		})
	}
}

// TestBombRefusedBeforeDecoding: a header announcing a huge canvas is
// refused without allocating it.
func TestBombRefusedBeforeDecoding(t *testing.T) {
	bomb := headerPNG(8192, 8192)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, err := Clean(bomb); err == nil {
		t.Fatal("accepted")
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("allocated %d bytes for a refused bomb", grew)
	}
}
