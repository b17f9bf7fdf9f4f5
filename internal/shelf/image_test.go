package shelf

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webp builds a RIFF container around one chunk with a hand-made header;
// only the header matters to CheckImage.
func webp(fourcc string, chunk []byte) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+len(chunk)))
	b.WriteString("WEBP")
	b.WriteString(fourcc)
	binary.Write(&b, binary.LittleEndian, uint32(len(chunk)))
	b.Write(chunk)
	return b.Bytes()
}

func vp8(w, h int) []byte {
	c := []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint16(c[6:], uint16(w))
	binary.LittleEndian.PutUint16(c[8:], uint16(h))
	return webp("VP8 ", c)
}

func vp8l(w, h int) []byte {
	c := make([]byte, 5)
	c[0] = 0x2f
	binary.LittleEndian.PutUint32(c[1:], uint32(w-1)|uint32(h-1)<<14)
	return webp("VP8L", c)
}

func vp8x(w, h int) []byte {
	c := make([]byte, 10)
	w, h = w-1, h-1
	c[4], c[5], c[6] = byte(w), byte(w>>8), byte(w>>16)
	c[7], c[8], c[9] = byte(h), byte(h>>8), byte(h>>16)
	return webp("VP8X", c)
}

func TestCheckImage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   []byte
		format ImageFormat
		w, h   int
		code   string
	}{
		{"png", pngBytes(t, 256, 256), ImagePNG, 256, 256, ""},
		{"jpeg", jpegBytes(t, 1280, 720), ImageJPEG, 1280, 720, ""},
		{"webp lossy", vp8(1920, 1080), ImageWebP, 1920, 1080, ""},
		{"webp lossless", vp8l(512, 512), ImageWebP, 512, 512, ""},
		{"webp extended", vp8x(1080, 1920), ImageWebP, 1080, 1920, ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", 0, 0, "image_format_unsupported"},
		{"svg", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "", 0, 0, "image_format_unsupported"},
		{"empty", nil, "", 0, 0, "image_format_unsupported"},
		{"truncated png", pngBytes(t, 10, 10)[:12], ImagePNG, 0, 0, "image_invalid"},
		{"webp unknown chunk", webp("ALPH", make([]byte, 10)), ImageWebP, 0, 0, "image_invalid"},
		{"webp short chunk", webp("VP8 ", []byte{1, 2}), ImageWebP, 0, 0, "image_invalid"},
		{"webp lying size", vp8(10, 10)[:22], ImageWebP, 0, 0, "image_invalid"},
		{"too many bytes", append(pngBytes(t, 10, 10), make([]byte, MaxImageBytes)...), "", 0, 0, "image_too_large"},
		{"bomb", vp8x(MaxImageSide+1, 10), ImageWebP, MaxImageSide + 1, 10, "image_dimensions_too_large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := CheckImage(tc.data)
			if tc.code != "" {
				if e, ok := AsError(err); !ok || e.Code != tc.code || e.Kind != KindInvalid {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != tc.format || info.Width != tc.w || info.Height != tc.h || info.Bytes != len(tc.data) {
				t.Errorf("got %+v, want %s %d×%d", info, tc.format, tc.w, tc.h)
			}
		})
	}
}

func TestIconAndScreenshotShapes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		screenshot bool
		w, h       int
		code       string
	}{
		{"icon 128", false, 128, 128, ""},
		{"icon 1024", false, 1024, 1024, ""},
		{"icon not square", false, 256, 255, "icon_not_square"},
		{"icon small", false, 64, 64, "icon_too_small"},
		{"desktop 1280x720", true, 1280, 720, ""},
		{"mobile 1080x1920", true, 1080, 1920, ""},
		{"1366x768 within tolerance", true, 1366, 768, ""},
		{"640x360 minimum", true, 640, 360, ""},
		{"4:3", true, 1024, 768, "screenshot_ratio_invalid"},
		{"16:10", true, 1280, 800, "screenshot_ratio_invalid"},
		{"square", true, 800, 800, "screenshot_ratio_invalid"},
		{"tiny 16:9", true, 320, 180, "screenshot_too_small"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info := ImageInfo{Format: ImagePNG, Width: tc.w, Height: tc.h}
			field, err := "icon", error(nil)
			if tc.screenshot {
				field = "screenshots[2]"
				err = CheckScreenshot(field, info)
			} else {
				err = CheckIcon(field, info)
			}
			if tc.code == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			checkFirst(t, tc.name, err, field, tc.code)
		})
	}
}
