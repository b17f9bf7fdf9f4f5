// Package shelf is the domain of the Shelf marketplace: its types, its rules
// and its error kinds. It imports only the standard library, so every other
// package (storage, web, events, CLI) can depend on it and never the reverse.
package shelf

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that the web layer can map it to an HTTP status
// in exactly one place and the CLI to an exit message.
type Kind string

// The error kinds. Anything that is not a *Error is treated as KindInternal.
const (
	KindInvalid         Kind = "invalid"         // 422: the input breaks a rule
	KindBadRequest      Kind = "bad_request"     // 400: the input cannot be read
	KindNotFound        Kind = "not_found"       // 404
	KindConflict        Kind = "conflict"        // 409: duplicate or wrong state
	KindUnauthenticated Kind = "unauthenticated" // 401
	KindForbidden       Kind = "forbidden"       // 403
	KindRateLimited     Kind = "rate_limited"    // 429
	KindInternal        Kind = "internal"        // 500, message never shown
)

// Error is the one error type of the domain. Code is a stable machine-readable
// identifier (e.g. "pricing_rule_unsupported"); Field names the offending input
// field when there is one.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Field   string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind and code.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError builds a KindInvalid error about one input field.
func FieldError(field, code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that the named object does not exist (or that the caller
// may not know it exists: both answer the same, so ids cannot be probed).
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Code: "not_found", Message: what + " not found"}
}

// Forbidden reports that the caller is known but may not do this.
func Forbidden(code, format string, args ...any) *Error {
	if code == "" {
		code = "forbidden"
	}
	return &Error{Kind: KindForbidden, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// ErrorKind returns the kind of err, KindInternal for foreign errors.
func ErrorKind(err error) Kind {
	if e, ok := AsError(err); ok {
		return e.Kind
	}
	return KindInternal
}
