package ui

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

// A download cut off by its client's hang-up is logged at info; one the
// server broke, at error.
func TestStreamFailedLevel(t *testing.T) {
	for _, c := range []struct {
		name   string
		gone   bool
		prefix string
	}{{"client gone", true, "level=INFO"}, {"server", false, "level=ERROR"}} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			h := &Handler{log: slog.New(slog.NewTextHandler(&out, nil))}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.gone {
				cancel()
			}
			r := httptest.NewRequest("GET", "/x.csv", nil).WithContext(ctx)
			h.streamFailed(r, "orders csv", errors.New("write: broken pipe"), "app", "app_1")
			if line := out.String(); !strings.Contains(line, c.prefix) || !strings.Contains(line, "app=app_1") {
				t.Errorf("logged %q, want %s", line, c.prefix)
			}
		})
	}
}
