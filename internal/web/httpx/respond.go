package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/shelfhq/shelf/internal/shelf"
)

// maxJSONBody bounds a JSON request body; uploads have their own limits.
const maxJSONBody = 1 << 20

// ErrorBody is the JSON error envelope: {"error":{"code","message","field"}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is what a caller is told about an error.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// statusOf maps an error kind to its HTTP status: the one place this is
// decided.
func statusOf(k shelf.Kind) int {
	switch k {
	case shelf.KindInvalid:
		return http.StatusUnprocessableEntity
	case shelf.KindBadRequest:
		return http.StatusBadRequest
	case shelf.KindNotFound:
		return http.StatusNotFound
	case shelf.KindConflict:
		return http.StatusConflict
	case shelf.KindUnauthenticated:
		return http.StatusUnauthorized
	case shelf.KindForbidden:
		return http.StatusForbidden
	case shelf.KindRateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// PublicError returns what may be shown to the caller for err: the domain
// error as is, or a generic message for anything unexpected (which is logged).
func PublicError(r *http.Request, err error) (int, ErrorDetail) {
	e, ok := shelf.AsError(err)
	if (!ok || e.Kind == shelf.KindInternal) && ClientGone(r, err) {
		// Nobody reads the answer; the request's transaction was rolled
		// back by its cancelled context. Not a server fault: no ERROR line,
		// and the metrics count it apart (499, as nginx does).
		Logger(r.Context()).InfoContext(r.Context(), "client went away", "err", err, "method", r.Method, "path", r.URL.Path,
			"request_id", RequestID(r.Context()))
		return StatusClientClosedRequest, ErrorDetail{Code: "client_closed_request", Message: "the client closed the connection before the answer"}
	}
	if !ok || e.Kind == shelf.KindInternal {
		id := RequestID(r.Context())
		Logger(r.Context()).ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path, "request_id", id)
		return http.StatusInternalServerError, ErrorDetail{Code: "internal", Message: "something went wrong on our side; the request id is " + id}
	}
	return statusOf(e.Kind), ErrorDetail{Code: e.Code, Message: e.Message, Field: e.Field}
}

// StatusClientClosedRequest is the status recorded for a request whose
// client went away before its answer (nginx's 499; never sent to anyone).
const StatusClientClosedRequest = 499

// ClientGone tells whether err comes from the request's own context ending
// because its client went away, rather than from the server.
func ClientGone(r *http.Request, err error) bool {
	if r.Context().Err() == nil {
		return false
	}
	// PostgreSQL's "canceling statement due to user request": the driver
	// cancelled the statement when the context ended.
	var coded interface{ SQLState() string }
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &coded) && coded.SQLState() == "57014"
}

// WriteError answers err as JSON.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status, d := PublicError(r, err)
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "900")
	}
	WriteJSON(w, status, ErrorBody{Error: d})
}

// WriteJSON writes v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// List wraps a list so every list response has the same shape and can
// grow (paging) without breaking clients.
type List[T any] struct {
	Items []T `json:"items"`
}

// WriteList answers a list (never null) or the error that kept it from
// being read.
func WriteList[T any](w http.ResponseWriter, items []T, err error) error {
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	WriteJSON(w, http.StatusOK, List[T]{Items: items})
	return nil
}

// DecodeJSON reads a JSON body into dst strictly: one value of dst's JSON
// type, known fields only, valid UTF-8 (never silently replaced by U+FFFD),
// bounded size. Failures are 400s that name the problem.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	return DecodeJSONWritable(w, r, dst)
}

// DecodeJSONWritable is DecodeJSON for a body decoded into a type that
// also carries read-only fields (a revision's id, state, timestamps): a
// top-level key in readOnly is refused as an unknown field, as any other
// field the request does not take. Clients learn at once that the field
// cannot be set, rather than see it silently ignored.
func DecodeJSONWritable(w http.ResponseWriter, r *http.Request, dst any, readOnly ...string) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "unsupported_media_type", Message: "send the body as application/json"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return badJSON(err, dst)
	}
	if err := checkUTF8(body); err != nil {
		return err
	}
	if len(readOnly) > 0 {
		var keys map[string]json.RawMessage
		if json.Unmarshal(body, &keys) == nil {
			for _, k := range readOnly {
				if _, ok := keys[k]; ok {
					return &shelf.Error{Kind: shelf.KindBadRequest, Code: "unknown_field", Field: k, Message: "unknown field " + k + " (it is read-only)"}
				}
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return badJSON(err, dst)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "malformed_json", Message: "the body must hold a single JSON value"}
	}
	return nil
}

// checkUTF8 refuses a body that is not valid UTF-8, or whose strings hold
// an unpaired surrogate escape (\ud800): encoding/json would turn both into
// U+FFFD and store text the client never sent.
func checkUTF8(body []byte) error {
	bad := &shelf.Error{Kind: shelf.KindBadRequest, Code: "invalid_utf8", Message: "the body must be valid UTF-8 JSON (without unpaired surrogate escapes)"}
	if !utf8.Valid(body) {
		return bad
	}
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 >= len(body) {
			continue
		}
		i++ // the escaped character: a backslash here is not a new escape
		if body[i] != 'u' {
			continue
		}
		hi, ok := hex4(body, i+1)
		switch {
		case !ok || hi < 0xD800 || hi > 0xDFFF:
		case hi >= 0xDC00:
			return bad
		default:
			lo, ok := hex4(body, i+7)
			if !ok || i+6 >= len(body) || body[i+5] != '\\' || body[i+6] != 'u' || lo < 0xDC00 || lo > 0xDFFF {
				return bad
			}
			i += 10
		}
	}
	return nil
}

// hex4 reads four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	var v rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

func badJSON(err error, dst any) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "malformed_json", Message: "the body is empty; send " + jsonKind(reflect.TypeOf(dst))}
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "malformed_json", Message: "the body is not valid JSON: " + err.Error()}
	case errors.As(err, &typ):
		what := typ.Field
		if what == "" {
			what = "the body"
		}
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "wrong_type", Field: typ.Field, Message: fmt.Sprintf("%s must be %s, not %s", what, jsonKind(typ.Type), jsonValueKind(typ.Value))}
	case errors.As(err, &tooBig):
		return errBodyTooLarge(tooBig.Limit)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "unknown_field", Field: f, Message: "unknown field " + f}
	default:
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "malformed_json", Message: "the body cannot be read as JSON"}
	}
}

// jsonKind names the JSON type a Go type decodes from, as a client reads
// it ("an object", "an array", "a string"): never a Go type name.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a JSON value"
	}
	if t.Implements(reflect.TypeFor[json.Unmarshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		if t.Kind() == reflect.Struct {
			return "a string" // times and the like
		}
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a JSON value"
}

// jsonValueKind turns encoding/json's description of the value it met
// ("string", "number 1.5", "object"…) into what a client reads.
func jsonValueKind(v string) string {
	switch kind, _, _ := strings.Cut(v, " "); kind {
	case "object", "array":
		return "an " + kind
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "a boolean"
	}
	return v
}

// errBodyTooLarge is the answer to a body over its limit.
func errBodyTooLarge(limit int64) error {
	return &shelf.Error{Kind: shelf.KindBadRequest, Code: "body_too_large", Message: fmt.Sprintf("the body is larger than %d MiB", limit>>20)}
}

// maxFormMemory is how much of a multipart form is held in memory; larger
// files spill to temporary files. The body limit comes first anyway.
const maxFormMemory = 16 << 20

// IsForm reports whether the request's body is a form.
func IsForm(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")
}

// ParseForm reads a form body once, up front, so that handlers may read
// its fields without checking errors: a body over the request's limit is
// refused as such (never as an empty form, or a form without its CSRF
// token), and one that cannot be read as a form is a 400.
func ParseForm(r *http.Request) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(maxFormMemory)
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errBodyTooLarge(tooBig.Limit)
	case err != nil:
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"}
	}
	return nil
}
