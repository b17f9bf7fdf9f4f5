// Package promoqr draws the QR codes of promotion channels as PNG and SVG:
// a chosen size, error-correction level and a four-module quiet zone, and
// optionally the app's icon in the middle (then at the highest correction
// level, which survives the covered modules). The encoding itself is
// github.com/yeqown/go-qrcode's; the drawing is the standard library's.
package promoqr

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// Level is an error-correction level: L, M, Q or H.
type Level string

// The error-correction levels and what each recovers.
const (
	LevelL Level = "L" // 7%
	LevelM Level = "M" // 15%: the default without an icon
	LevelQ Level = "Q" // 25%
	LevelH Level = "H" // 30%: always with an icon
)

// Sizes a code can be drawn at, in pixels (the whole image, quiet zone
// included).
const (
	MinSize     = 128
	MaxSize     = 2048
	DefaultSize = 512
	// QuietZone is the white margin around the symbol, in modules, that
	// ISO/IEC 18004 asks for.
	QuietZone = 4
)

// Options say how to draw a code.
type Options struct {
	Size  int   // pixels; 0 is DefaultSize
	Level Level // "" is M, or H with an icon
	// Icon, if set, is drawn in the middle on a white pad, about a fifth
	// of the symbol wide.
	Icon image.Image
}

func (o Options) normal() (Options, error) {
	if o.Size == 0 {
		o.Size = DefaultSize
	}
	if o.Size < MinSize || o.Size > MaxSize {
		return o, fmt.Errorf("size %d outside %d–%d", o.Size, MinSize, MaxSize)
	}
	switch {
	case o.Icon != nil:
		o.Level = LevelH
	case o.Level == "":
		o.Level = LevelM
	}
	return o, nil
}

// ParseLevel reads a level name in any case ("" is the default).
func ParseLevel(s string) (Level, bool) {
	switch l := Level(strings.ToUpper(s)); l {
	case "", LevelL, LevelM, LevelQ, LevelH:
		return l, true
	}
	return "", false
}

var levels = map[Level]qrcode.EncodeOption{
	LevelL: qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionLow),
	LevelM: qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium),
	LevelQ: qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionQuart),
	LevelH: qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionHighest),
}

// Modules encodes text at a level: the symbol's dark modules, without the
// quiet zone.
func Modules(text string, l Level) ([][]bool, error) {
	opt, ok := levels[l]
	if !ok {
		return nil, fmt.Errorf("unknown error-correction level %q", l)
	}
	q, err := qrcode.NewWith(text, opt)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	var m matrixWriter
	if err := q.Save(&m); err != nil {
		return nil, err
	}
	return m.bits, nil
}

// matrixWriter keeps the encoder's matrix.
type matrixWriter struct{ bits [][]bool }

func (m *matrixWriter) Write(mat qrcode.Matrix) error { m.bits = mat.Bitmap(); return nil }
func (m *matrixWriter) Close() error                  { return nil }

// layout is where the symbol's modules fall in an image of the asked
// size: whole pixels per module, centred, the rest white margin.
type layout struct {
	bits         [][]bool
	size, scale  int
	offset       int
	iconBox      image.Rectangle // the white pad under the icon (empty: none)
	iconInnerBox image.Rectangle
}

func plan(text string, o Options) (*layout, error) {
	o, err := o.normal()
	if err != nil {
		return nil, err
	}
	bits, err := Modules(text, o.Level)
	if err != nil {
		return nil, err
	}
	n := len(bits)
	scale := o.Size / (n + 2*QuietZone)
	if scale < 1 {
		return nil, fmt.Errorf("size %d is too small for a %d-module code", o.Size, n)
	}
	l := &layout{bits: bits, size: o.Size, scale: scale, offset: (o.Size - n*scale) / 2}
	if o.Icon != nil {
		// About 22% of the symbol's width (5% of its area), whole modules,
		// odd so it centres on a module: well within what H recovers.
		side := n * 22 / 100
		if side%2 == 0 {
			side++
		}
		start := (n - side) / 2
		px := func(m int) int { return l.offset + m*scale }
		l.iconBox = image.Rect(px(start), px(start), px(start+side), px(start+side))
		pad := scale
		l.iconInnerBox = l.iconBox.Inset(pad)
	}
	return l, nil
}

// PNG draws the code as a PNG of o.Size pixels square.
func PNG(w io.Writer, text string, o Options) error {
	l, err := plan(text, o)
	if err != nil {
		return err
	}
	// Pixels are set directly: draw.Draw with a uniform colour goes
	// pixel by pixel through interfaces on a paletted image.
	pal := image.NewPaletted(image.Rect(0, 0, l.size, l.size), color.Palette{color.White, color.Black})
	for y, row := range l.bits {
		for x, dark := range row {
			if !dark {
				continue
			}
			for py := l.offset + y*l.scale; py < l.offset+(y+1)*l.scale; py++ {
				line := pal.Pix[py*pal.Stride+l.offset+x*l.scale:][:l.scale]
				for i := range line {
					line[i] = 1
				}
			}
		}
	}
	var img image.Image = pal
	if o.Icon != nil {
		rgba := image.NewRGBA(pal.Bounds())
		draw.Draw(rgba, rgba.Bounds(), pal, image.Point{}, draw.Src)
		draw.Draw(rgba, l.iconBox, image.White, image.Point{}, draw.Src)
		draw.Draw(rgba, l.iconInnerBox, scaleTo(o.Icon, l.iconInnerBox.Dx(), l.iconInnerBox.Dy()), image.Point{}, draw.Over)
		img = rgba
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// SVG draws the code as an SVG document of o.Size pixels square: one path
// of dark runs on a white square, the icon embedded as a PNG.
func SVG(w io.Writer, text string, o Options) error {
	l, err := plan(text, o)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+"\n"+
		`<rect width="%d" height="%d" fill="#fff"/>`+"\n"+`<path fill="#000" d="`, l.size, l.size, l.size, l.size, l.size, l.size)
	for y, row := range l.bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv%dh-%dz", l.offset+x*l.scale, l.offset+y*l.scale, run*l.scale, l.scale, run*l.scale)
			x += run
		}
	}
	b.WriteString(`"/>` + "\n")
	if o.Icon != nil {
		var ib bytes.Buffer
		if err := png.Encode(&ib, scaleTo(o.Icon, l.iconInnerBox.Dx(), l.iconInnerBox.Dy())); err != nil {
			return err
		}
		r, in := l.iconBox, l.iconInnerBox
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#fff"/>`+"\n", r.Min.X, r.Min.Y, r.Dx(), r.Dy())
		fmt.Fprintf(&b, `<image x="%d" y="%d" width="%d" height="%d" href="data:image/png;base64,%s"/>`+"\n",
			in.Min.X, in.Min.Y, in.Dx(), in.Dy(), base64.StdEncoding.EncodeToString(ib.Bytes()))
	}
	b.WriteString("</svg>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// scaleTo resizes src to w×h by averaging the source pixels each target
// pixel covers (icons are shrunk, rarely grown).
func scaleTo(src image.Image, w, h int) image.Image {
	sb := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		y0, y1 := sb.Min.Y+y*sb.Dy()/h, sb.Min.Y+(y+1)*sb.Dy()/h
		y1 = max(y1, y0+1)
		for x := range w {
			x0, x1 := sb.Min.X+x*sb.Dx()/w, sb.Min.X+(x+1)*sb.Dx()/w
			x1 = max(x1, x0+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := src.At(sx, sy).RGBA()
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			dst.Set(x, y, color.RGBA64{uint16(r / n), uint16(g / n), uint16(bl / n), uint16(a / n)})
		}
	}
	return dst
}
