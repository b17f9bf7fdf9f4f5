package shelf

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeKey is the sort key of a row listed by (created_at, id): the cursor
// of the lists that page by time. Its text order is the rows' order.
func TimeKey(t time.Time, id string) string {
	return fmt.Sprintf("%020d.%s", t.UTC().UnixMicro(), id)
}

// ParseTimeKey splits a TimeKey into unix microseconds and id; "" is
// before everything (-1, "").
func ParseTimeKey(k string) (int64, string, error) {
	if k == "" {
		return -1, "", nil
	}
	at, id, ok := strings.Cut(k, ".")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || n < 0 {
		return 0, "", &Error{Kind: KindBadRequest, Code: "invalid_cursor", Field: "cursor", Message: "cursor must be a next_cursor this endpoint returned"}
	}
	return n, id, nil
}
