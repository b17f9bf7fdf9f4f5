package events_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/sdk"
)

// TestPayloadsMatchSDK: the SDK's event data types, which vendors decode,
// have the JSON shape of the domain's, which the store encodes: the same
// fields under the same names, of the same types, omitted when empty
// alike.
func TestPayloadsMatchSDK(t *testing.T) {
	for _, pair := range [][2]any{
		{shelf.AppInstalled{}, sdk.AppInstalled{}},
		{shelf.AppUninstalled{}, sdk.AppUninstalled{}},
		{shelf.ListingApproved{}, sdk.ListingApproved{}},
		{shelf.ListingRejected{}, sdk.ListingRejected{}},
		{shelf.ListingStateChanged{}, sdk.ListingStateChanged{}},
		{shelf.TestPing{}, sdk.TestPing{}},
	} {
		domain, public := jsonShape(reflect.TypeOf(pair[0])), jsonShape(reflect.TypeOf(pair[1]))
		if !reflect.DeepEqual(domain, public) {
			t.Errorf("%T is %v, but the SDK's %T is %v", pair[0], domain, pair[1], public)
		}
	}
}

// jsonShape lists a struct's JSON fields: tag and Go type.
func jsonShape(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		out = append(out, fmt.Sprintf("%s %s", f.Tag.Get("json"), f.Type))
	}
	return out
}
