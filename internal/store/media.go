package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/imaging"
	"github.com/shelfhq/shelf/internal/shelf"
)

// SaveMedia decodes an uploaded image whole (PNG, JPEG or WebP of bounded
// size and pixel count) and stores its re-encoded copy in the database, so
// every node can serve it and none serves a byte the decoder did not read.
func (s *Store) SaveMedia(ctx context.Context, orgID string, data []byte) (*shelf.Image, error) {
	info, data, err := imaging.Clean(data)
	if err != nil {
		if e, ok := shelf.AsError(err); ok && e.Field == "" {
			e.Field = "file"
		}
		return nil, err
	}
	img := &shelf.Image{ID: shelf.NewID("img"), ImageInfo: info}
	err = s.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO media (id, org_id, content_type, width, height, size, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			img.ID, orgID, contentType(string(info.Format)), info.Width, info.Height, len(data), base64.StdEncoding.EncodeToString(data), micros(tx.Now()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save media: %w", err)
	}
	return img, nil
}

func contentType(format string) string { return "image/" + format }

// Media returns an image's bytes and content type.
func (s *Store) Media(ctx context.Context, id string) ([]byte, string, error) {
	var ct, enc string
	err := s.read.QueryRowContext(ctx, `SELECT content_type, data FROM media WHERE id = $1`, id).Scan(&ct, &enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", shelf.NotFound("image")
	}
	if err != nil {
		return nil, "", fmt.Errorf("media: %w", err)
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	return b, ct, err
}

// mediaInfo resolves an image reference of a revision from what was
// stored, never from what the client claims; it must be the org's own.
func mediaInfo(ctx context.Context, q queryer, orgID, field, id string) (*shelf.Image, error) {
	var owner, ct string
	img := &shelf.Image{ID: id}
	var size int
	err := q.QueryRowContext(ctx, `SELECT org_id, content_type, width, height, size FROM media WHERE id = $1`, id).
		Scan(&owner, &ct, &img.Width, &img.Height, &size)
	if errors.Is(err, sql.ErrNoRows) || err == nil && owner != orgID {
		return nil, shelf.FieldError(field, "unknown_image", "no uploaded image %s", id)
	}
	if err != nil {
		return nil, err
	}
	img.Format, img.Bytes = shelf.ImageFormat(ct[len("image/"):]), size
	return img, nil
}
