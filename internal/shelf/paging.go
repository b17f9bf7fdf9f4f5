package shelf

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
)

// PageReq asks a store list for one page in keyset order: the rows after
// After (the sort key of the last row of the previous page; nil for the
// first page), at most Limit of them. Keyset, never offset: a row inserted
// meanwhile falls before or after the key, so a walk sees every row that
// existed when it started exactly once.
type PageReq struct {
	Limit int
	After []any // int64, string or bool values, one per sort column
	// Back reads the rows before After instead, nearest first (the caller
	// reverses them): the "previous" link of a page.
	Back bool
}

// FirstPage is the request for the first n rows of a list.
func FirstPage(n int) PageReq { return PageReq{Limit: n} }

// EncodeCursor makes the opaque cursor of a list position: base64url JSON
// [tag, key…], a dot, and a MAC of the JSON. The tag names the list (and
// its filter), so a cursor of another list is refused; the MAC refuses a
// cursor altered in any way, even one that would still read as a key.
func EncodeCursor(tag string, key []any) string {
	b, _ := json.Marshal(append([]any{tag}, key...))
	return base64.RawURLEncoding.EncodeToString(b) + "." + base64.RawURLEncoding.EncodeToString(cursorMAC(b))
}

// DecodeCursor reads a cursor EncodeCursor made for tag, its key checked
// against shape ('i' a whole number, 's' a string, 'b' a boolean, one per
// sort column). Anything else is a 400 invalid_cursor.
func DecodeCursor(c, tag, shape string) ([]any, error) {
	bad := &Error{Kind: KindBadRequest, Code: "invalid_cursor", Field: "cursor", Message: "cursor must be a next_cursor this list returned"}
	body, sig, ok := strings.Cut(c, ".")
	b, err := base64.RawURLEncoding.DecodeString(body)
	mac, merr := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err != nil || merr != nil || !hmac.Equal(mac, cursorMAC(b)) {
		return nil, bad
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var vals []any
	if dec.Decode(&vals) != nil || dec.More() || len(vals) != len(shape)+1 || vals[0] != tag {
		return nil, bad
	}
	key := vals[1:]
	for i, v := range key {
		if key[i] = cursorValue(shape[i], v); key[i] == nil {
			return nil, bad
		}
	}
	return key, nil
}

// cursorKeys holds the key cursors are signed with (SignCursors).
var cursorKeys struct {
	once sync.Once
	key  []byte
}

// SignCursors sets the key cursors are signed with, once per process (the
// first call wins), and reports whether key is the one in use: serve
// derives it from the secret key, so every node reads the cursors of every
// other. A process that never calls it signs with a random key of its own,
// made on first use.
func SignCursors(key []byte) bool {
	cursorKeys.once.Do(func() { cursorKeys.key = key })
	return hmac.Equal(cursorKeys.key, key)
}

// cursorMAC is the MAC of a cursor's JSON.
func cursorMAC(b []byte) []byte {
	cursorKeys.once.Do(func() {
		cursorKeys.key = make([]byte, 32)
		_, _ = rand.Read(cursorKeys.key)
	})
	m := hmac.New(sha256.New, cursorKeys.key)
	m.Write(b)
	return m.Sum(nil)[:12]
}

// cursorValue is v as the kind of sort column k, or nil.
func cursorValue(k byte, v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil && k == 'i' {
			return n
		}
	case string:
		if k == 's' {
			return v
		}
	case bool:
		if k == 'b' {
			return v
		}
	}
	return nil
}
