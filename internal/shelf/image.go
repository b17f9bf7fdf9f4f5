package shelf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
)

// ImageFormat is the sniffed format of an upload, never the one its name or
// Content-Type claims.
type ImageFormat string

// The accepted image formats. No GIF (animated noise) and no SVG (it can
// carry scripts).
const (
	ImagePNG  ImageFormat = "png"
	ImageJPEG ImageFormat = "jpeg"
	ImageWebP ImageFormat = "webp"
)

// Image limits. MaxImageSide and MaxImagePixels guard against
// decompression bombs (a small file announcing a gigantic canvas): they are
// checked from the header, before a pixel is decoded, and bound a decode to
// 64 MiB of RGBA.
const (
	MaxImageBytes       = 2 << 20
	MaxImageSide        = 8192
	MaxImagePixels      = 16 << 20
	MinIconSide         = 128
	MinScreenshotLong   = 640
	screenshotTolerance = 0.02 // relative distance to 16:9 accepted as 16:9
)

// ImageInfo is what CheckImage learns from an upload's header.
type ImageInfo struct {
	Format ImageFormat `json:"format"`
	Width  int         `json:"width"`
	Height int         `json:"height"`
	Bytes  int         `json:"bytes"`
}

// CheckImage sniffs data as PNG, JPEG or WebP and reads its dimensions from
// the header only (nothing is decoded), refusing files over MaxImageBytes
// and canvases over MaxImageSide or MaxImagePixels. It does not decode:
// imaging.Clean does, for what Shelf stores. The returned errors have no Field: the
// caller knows whether this is the icon or screenshots[2] and sets it.
func CheckImage(data []byte) (ImageInfo, error) {
	info := ImageInfo{Bytes: len(data)}
	if len(data) > MaxImageBytes {
		return info, Errorf(KindInvalid, "image_too_large", "images must be at most %d MiB, this one has %d bytes", MaxImageBytes>>20, len(data))
	}
	var cfg image.Config
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		info.Format = ImagePNG
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		info.Format = ImageJPEG
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		info.Format = ImageWebP
		cfg, err = webpConfig(data)
	default:
		return info, Errorf(KindInvalid, "image_format_unsupported", "images must be PNG, JPEG or WebP")
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return info, Errorf(KindInvalid, "image_invalid", "the file is not a readable %s image", info.Format)
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return info, Errorf(KindInvalid, "image_dimensions_too_large", "images must be at most %d×%d pixels, not %d×%d", MaxImageSide, MaxImageSide, cfg.Width, cfg.Height)
	}
	if cfg.Width*cfg.Height > MaxImagePixels {
		return info, Errorf(KindInvalid, "image_dimensions_too_large", "images must have at most %d pixels, not %d×%d", MaxImagePixels, cfg.Width, cfg.Height)
	}
	return info, nil
}

// errWebP is any malformed WebP header; CheckImage turns it into image_invalid.
var errWebP = errors.New("malformed WebP header")

// webpConfig reads the canvas size from the first chunk of a WebP file: a
// lossy (VP8), lossless (VP8L) or extended (VP8X) header.
func webpConfig(data []byte) (image.Config, error) {
	if len(data) < 20 {
		return image.Config{}, errWebP
	}
	fourcc, size := string(data[12:16]), binary.LittleEndian.Uint32(data[16:20])
	chunk := data[20:]
	if uint64(size) > uint64(len(chunk)) {
		return image.Config{}, errWebP
	}
	chunk = chunk[:size]
	var w, h int
	switch fourcc {
	case "VP8 ":
		// 3-byte frame tag (bit 0 clear on key frames), start code, then
		// 14-bit width and height.
		if len(chunk) < 10 || chunk[0]&1 != 0 || !bytes.Equal(chunk[3:6], []byte{0x9d, 0x01, 0x2a}) {
			return image.Config{}, errWebP
		}
		w = int(binary.LittleEndian.Uint16(chunk[6:8]) & 0x3fff)
		h = int(binary.LittleEndian.Uint16(chunk[8:10]) & 0x3fff)
	case "VP8L":
		// Signature 0x2f, then width-1 and height-1 in 14 bits each.
		if len(chunk) < 5 || chunk[0] != 0x2f {
			return image.Config{}, errWebP
		}
		b := binary.LittleEndian.Uint32(chunk[1:5])
		w, h = int(b&0x3fff)+1, int(b>>14&0x3fff)+1
	case "VP8X":
		// Flags and reserved bytes, then canvas width-1 and height-1 in 24 bits each.
		if len(chunk) < 10 {
			return image.Config{}, errWebP
		}
		w = int(uint32(chunk[4])|uint32(chunk[5])<<8|uint32(chunk[6])<<16) + 1
		h = int(uint32(chunk[7])|uint32(chunk[8])<<8|uint32(chunk[9])<<16) + 1
	default:
		return image.Config{}, errWebP
	}
	return image.Config{Width: w, Height: h}, nil
}

// CheckIcon checks an icon's shape: square and at least MinIconSide pixels,
// so it stays sharp in the storefront grid.
func CheckIcon(field string, info ImageInfo) error {
	if info.Width != info.Height {
		return FieldError(field, "icon_not_square", "the icon must be square, not %d×%d", info.Width, info.Height)
	}
	if info.Width < MinIconSide {
		return FieldError(field, "icon_too_small", "the icon must be at least %d×%d pixels, not %d×%d", MinIconSide, MinIconSide, info.Width, info.Height)
	}
	return nil
}

// CheckScreenshot checks a screenshot's shape: 16:9 (desktop) or 9:16
// (mobile) within 2%, the long side at least MinScreenshotLong pixels. The
// storefront's carousel has those two frames; anything else is letterboxed,
// a usual reason for rejection.
func CheckScreenshot(field string, info ImageInfo) error {
	long, short := info.Width, info.Height
	if short > long {
		long, short = short, long
	}
	if short <= 0 {
		return FieldError(field, "image_invalid", "the screenshot has no size")
	}
	ratio := float64(long) / float64(short)
	if d := ratio/(16.0/9.0) - 1; d > screenshotTolerance || d < -screenshotTolerance {
		return FieldError(field, "screenshot_ratio_invalid", "screenshots must be 16:9 or 9:16, not %d×%d", info.Width, info.Height)
	}
	if long < MinScreenshotLong {
		return FieldError(field, "screenshot_too_small", "screenshots must be at least %d pixels on the long side, not %d×%d", MinScreenshotLong, info.Width, info.Height)
	}
	return nil
}
