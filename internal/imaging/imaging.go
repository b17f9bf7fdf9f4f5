// Package imaging decodes an uploaded image whole and keeps a re-encoded
// copy, so that what Shelf stores and serves is only ever pixels: never a
// header without an image behind it, never bytes appended after the image
// (HTML, scripts), never metadata (a photo's location). It is a package of
// its own because WebP needs golang.org/x/image, which the domain does not
// import.
package imaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"github.com/shelfhq/shelf/internal/shelf"
)

// JPEGQuality is the quality of a re-encoded JPEG: high enough that a
// screenshot's text stays crisp after a second compression.
const JPEGQuality = 90

// Clean checks data's header (format, bytes, sides and pixel count, all
// before any pixel is decoded: a decompression bomb is refused by its
// header), decodes it completely, and returns the re-encoded image with
// its info. JPEG stays JPEG; PNG and WebP become PNG (lossless; Go has no
// WebP encoder). Errors are shelf errors without a field (image_invalid
// for what does not decode), like shelf.CheckImage's.
func Clean(data []byte) (shelf.ImageInfo, []byte, error) {
	info, err := shelf.CheckImage(data)
	if err != nil {
		return info, nil, err
	}
	var img image.Image
	r := bytes.NewReader(data)
	switch info.Format {
	case shelf.ImagePNG:
		img, err = png.Decode(r)
	case shelf.ImageJPEG:
		img, err = jpeg.Decode(r)
	case shelf.ImageWebP:
		img, err = webp.Decode(r)
	}
	if err != nil {
		return info, nil, shelf.Errorf(shelf.KindInvalid, "image_invalid", "the file is not a complete %s image (%v)", info.Format, err)
	}
	if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
		return info, nil, shelf.Errorf(shelf.KindInvalid, "image_invalid", "the %s image's header says %d×%d but it holds %d×%d pixels", info.Format, info.Width, info.Height, b.Dx(), b.Dy())
	}
	var out bytes.Buffer
	if info.Format == shelf.ImageJPEG {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: JPEGQuality})
	} else {
		info.Format = shelf.ImagePNG
		err = png.Encode(&out, img)
	}
	if err != nil {
		return info, nil, shelf.Errorf(shelf.KindInvalid, "image_invalid", "the image cannot be re-encoded (%v)", err)
	}
	info.Bytes = out.Len()
	return info, out.Bytes(), nil
}
