package search

import (
	"net/url"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Kind filters a search by the kind of app: the cool app market is the
// same index filtered to cool apps, never a second index.
type Kind string

// The kinds: every listing (""), org apps, cool apps.
const (
	KindAll  Kind = ""
	KindOrg  Kind = "org"
	KindCool Kind = "cool"
)

// parseKind reads ?kind=.
func parseKind(q url.Values) (Kind, error) {
	switch k := Kind(q.Get("kind")); k {
	case KindAll, KindOrg, KindCool:
		return k, nil
	}
	return "", shelf.FieldError("kind", "invalid_kind", "kind must be org or cool")
}
