package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// TestSalesCatalog: every key the sales and order pages build at run time
// (states, types, statuses, error kinds) has both languages.
func TestSalesCatalog(t *testing.T) {
	var keys []string
	for _, st := range service.OrderStates {
		keys = append(keys, "sales.ostate."+string(st))
	}
	for _, ty := range shelf.OrderTypes {
		keys = append(keys, "sales.otype."+string(ty))
	}
	for _, st := range subStatuses {
		keys = append(keys, "sales.sub."+string(st))
	}
	for _, k := range []shelf.Kind{shelf.KindInvalid, shelf.KindBadRequest, shelf.KindNotFound, shelf.KindConflict, shelf.KindUnauthenticated, shelf.KindForbidden, shelf.KindRateLimited} {
		keys = append(keys, "err.kind."+string(k))
	}
	keys = append(keys, "sso.saved", "orders.paid_flash", "orders.refund_done", "sso.line")
	for _, key := range keys {
		if m, ok := catalog[key]; !ok || m[0] == "" || m[1] == "" {
			t.Errorf("catalog lacks %q in one of the languages", key)
		}
	}
}

// TestLocalError: each field's message is translated by code (and field),
// unknown codes fall back to their kind, internal errors are left alone.
func TestLocalError(t *testing.T) {
	err := shelf.FieldErrors{shelf.FieldError("reason", "required", "a refund needs a reason"), shelf.FieldError("x", "brand_new_code", "english")}
	got := shelf.AllErrors(localError(langEN, err))
	if len(got) != 2 || got[0].Message != "Enter the reason for the refund." || got[0].Field != "reason" || got[1].Message != translate(langEN, "err.kind.invalid") {
		t.Errorf("localError = %+v", got)
	}
	if e, _ := shelf.AsError(localError(langZH, shelf.NotFound("order"))); !strings.Contains(e.Message, "找不到") || e.Kind != shelf.KindNotFound {
		t.Errorf("not found = %+v", e)
	}
	internal := errors.New("disk on fire")
	if localError(langZH, internal) != internal {
		t.Error("an internal error was rewritten")
	}
}
