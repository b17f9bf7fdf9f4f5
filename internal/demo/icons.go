package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// shape is the white figure on a demo icon.
type shape int

const (
	shapeClock shape = iota
	shapeCheck
	shapePerson
	shapeCoin
	shapeBars
	shapeSun
	shapeChat
	shapeBook
	shapeGear
)

// iconStyle is a demo app's look: its brand colour and figure.
type iconStyle struct {
	color color.RGBA
	shape shape
}

// encodePNG favours speed over size: Seed runs in many tests, and these
// flat images compress well anyway.
func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// iconPNG draws a 256×256 icon: a rounded square in the brand colour with
// a white figure, like the icons on a phone's home screen. Three colours:
// a paletted image encodes several times faster than a full-colour one.
func iconPNG(st iconStyle) ([]byte, error) {
	const n = 256
	const background, figure = 1, 2 // 0 is transparent: the corners
	img := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{color.NRGBA{}, st.color, color.White})
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if !inRoundedSquare(x, y, n, 48) {
				continue
			}
			u, v := 2*(float64(x)+0.5)/n-1, 2*(float64(y)+0.5)/n-1
			c := uint8(background)
			if st.shape.covers(u, v) {
				c = figure
			}
			img.Pix[y*img.Stride+x] = c
		}
	}
	return encodePNG(img)
}

func inRoundedSquare(x, y, n, r int) bool {
	cx, cy := clampInt(x, r, n-1-r), clampInt(y, r, n-1-r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r*r
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

// covers reports whether the point (u, v), both in [-1, 1] with v down,
// is part of the figure.
func (s shape) covers(u, v float64) bool {
	r := math.Sqrt(u*u + v*v)
	switch s {
	case shapeClock:
		return r > 0.5 && r < 0.62 || segment(u, v, 0, 0, 0, -0.38) < 0.06 || segment(u, v, 0, 0, 0.28, 0.1) < 0.06
	case shapeCheck:
		return segment(u, v, -0.45, 0, -0.12, 0.32) < 0.1 || segment(u, v, -0.12, 0.32, 0.5, -0.32) < 0.1
	case shapePerson:
		return math.Hypot(u, v+0.22) < 0.24 || v > 0.12 && v < 0.58 && math.Hypot(u/0.55, (v-0.58)/0.45) < 1
	case shapeCoin:
		return r < 0.58 && !(r > 0.4 && r < 0.47) && !(r < 0.4 && math.Abs(u) > 0.06 && math.Abs(v) > 0.06)
	case shapeBars:
		for i, h := range []float64{0.35, 0.7, 0.5} {
			x0 := -0.5 + float64(i)*0.36
			if u > x0 && u < x0+0.24 && v < 0.5 && v > 0.5-h {
				return true
			}
		}
		return false
	case shapeSun:
		return r < 0.28 || r > 0.4 && r < 0.62 && math.Mod(math.Atan2(v, u)+2*math.Pi, math.Pi/4) < 0.2
	case shapeChat:
		body := math.Abs(u) < 0.55 && v > -0.42 && v < 0.22
		tail := v >= 0.22 && v < 0.5 && u > -0.35 && u < -0.35+(0.5-v)*0.9
		return body || tail
	case shapeBook:
		return v > -0.4 && v < 0.45 && math.Abs(u) > 0.04 && math.Abs(u) < 0.55
	case shapeGear:
		teeth := r < 0.66 && r >= 0.5 && math.Mod(math.Atan2(v, u)+2*math.Pi, math.Pi/4) < math.Pi/8
		return (r < 0.5 || teeth) && r > 0.2
	}
	return false
}

// segment is the distance from (u, v) to the segment (x0, y0)–(x1, y1).
func segment(u, v, x0, y0, x1, y1 float64) float64 {
	dx, dy := x1-x0, y1-y0
	t := ((u-x0)*dx + (v-y0)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(u-(x0+t*dx), v-(y0+t*dy))
}

// screenshotPNG draws a 1280×720 mock of the app's main page in its brand
// colour: a header, a sidebar, cards and a bar chart. Enough for the
// storefront to show a realistic gallery.
func screenshotPNG(st iconStyle) ([]byte, error) {
	const w, h = 1280, 720
	const panel, line, text, brand = 1, 2, 3, 4 // 0 is the page's background
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{
		color.RGBA{245, 246, 248, 255}, color.White, color.RGBA{226, 229, 234, 255}, color.RGBA{200, 204, 212, 255}, st.color})
	fill(img, image.Rect(0, 0, w, 64), brand)
	fill(img, image.Rect(0, 64, 220, h), panel)
	for i := 0; i < 6; i++ {
		fill(img, image.Rect(24, 96+i*48, 180, 112+i*48), line)
	}
	fill(img, image.Rect(24, 96, 180, 112), brand)
	for i := 0; i < 3; i++ {
		x := 252 + i*336
		fill(img, image.Rect(x, 96, x+312, 216), panel)
		fill(img, image.Rect(x+24, 124, x+120, 140), text)
		fill(img, image.Rect(x+24, 160, x+200, 192), brand)
	}
	fill(img, image.Rect(252, 248, 1232, 688), panel)
	for i, v := range []int{180, 260, 220, 320, 290, 360, 340, 400} {
		x := 300 + i*110
		fill(img, image.Rect(x, 660-v, x+60, 660), brand)
	}
	return encodePNG(img)
}

func fill(img *image.Paletted, r image.Rectangle, c uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[y*img.Stride+r.Min.X : y*img.Stride+r.Max.X]
		for i := range row {
			row[i] = c
		}
	}
}
