package promoqr

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

const link = "https://market.example.com/p/K7M2Q9XR"

// Decode reads a QR code's text from a PNG with an independent decoder.
func Decode(tb testing.TB, pngBytes []byte) string {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		tb.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: false})
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

// icon is a busy picture (stripes) so that a covered module is really lost.
func icon() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 256 {
			c := color.RGBA{22, 100, 255, 255}
			if (x/16+y/16)%2 == 0 {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func TestPNGDecodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"default", Options{}},
		{"small L", Options{Size: MinSize, Level: LevelL}},
		{"large Q", Options{Size: 1024, Level: LevelQ}},
		{"icon", Options{Size: 512, Icon: icon()}},
		{"icon small", Options{Size: 256, Icon: icon()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := PNG(&b, link, tc.o); err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(b.Bytes()))
			want := tc.o.Size
			if want == 0 {
				want = DefaultSize
			}
			if err != nil || cfg.Width != want || cfg.Height != want {
				t.Fatalf("image %dx%d, want %d: %v", cfg.Width, cfg.Height, want, err)
			}
			if got := Decode(t, b.Bytes()); got != link {
				t.Fatalf("decoded %q, want %q", got, link)
			}
		})
	}
}

func TestQuietZoneAndIconLevel(t *testing.T) {
	l, err := plan(link, Options{Size: 512})
	if err != nil {
		t.Fatal(err)
	}
	if l.offset < QuietZone*l.scale {
		t.Fatalf("margin %d px < %d modules of %d px", l.offset, QuietZone, l.scale)
	}
	plain, _ := Modules(link, LevelM)
	withIcon, _ := plan(link, Options{Icon: icon()})
	if len(withIcon.bits) <= len(plain) {
		t.Fatalf("an icon should raise the level (and the symbol): %d vs %d modules", len(withIcon.bits), len(plain))
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{{Size: MinSize - 1}, {Size: MaxSize + 1}, {Level: "X"}} {
		if err := PNG(io.Discard, link, o); err == nil {
			t.Errorf("%+v drew a code", o)
		}
	}
	if _, ok := ParseLevel("h"); !ok {
		t.Error("level h refused")
	}
}

func TestSVGIsXML(t *testing.T) {
	for _, o := range []Options{{}, {Icon: icon(), Size: 300}} {
		var b bytes.Buffer
		if err := SVG(&b, link, o); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			XMLName xml.Name
			Width   string `xml:"width,attr"`
			Paths   []struct {
				D string `xml:"d,attr"`
			} `xml:"path"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if doc.XMLName.Local != "svg" || len(doc.Paths) != 1 || len(doc.Paths[0].D) < 100 {
			t.Fatalf("svg = %+v", doc.XMLName)
		}
	}
}

func BenchmarkPNG(b *testing.B) {
	for _, tc := range []struct {
		name string
		o    Options
	}{{"512", Options{}}, {"512-icon", Options{Icon: icon()}}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if err := PNG(io.Discard, link, tc.o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBlankPNG is BenchmarkPNG's baseline: encoding a blank image of
// the same size with the same encoder, no QR code drawn.
func BenchmarkBlankPNG(b *testing.B) {
	img := image.NewPaletted(image.Rect(0, 0, DefaultSize, DefaultSize), color.Palette{color.White, color.Black})
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	for b.Loop() {
		if err := enc.Encode(io.Discard, img); err != nil {
			b.Fatal(err)
		}
	}
}
