package shelf

import (
	"errors"
	"strings"
)

// FieldErrors is every input error found in one piece of input, in a stable
// order (the order of the fields in the input). Editors show each next to its
// field; the HTTP layer reports the first one's kind, code and field, which
// is what AsError finds because errors.As walks Unwrap() []error in order.
type FieldErrors []*Error

// Error joins the messages, one per field.
func (es FieldErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap exposes each error to errors.Is and errors.As.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Err returns nil when there is no error, so callers can `return es.Err()`
// without handing back a non-nil interface that holds an empty list.
func (es FieldErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// AllErrors returns every *Error carried by err: the list of a FieldErrors,
// the single *Error otherwise, nil for foreign errors.
func AllErrors(err error) []*Error {
	var es FieldErrors
	if errors.As(err, &es) {
		return es
	}
	if e, ok := AsError(err); ok {
		return []*Error{e}
	}
	return nil
}
