package events

import (
	"os"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// TestScheduleDocumented keeps the published retry table in
// docs/events.md equal to the schedule the dispatcher runs.
func TestScheduleDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/events.md")
	if err != nil {
		t.Fatal(err)
	}
	table := DefaultSchedule.Table(shelf.DeliveryWindow)
	if !contains(string(doc), table) {
		t.Fatalf("docs/events.md does not hold the current retry table:\n%s", table)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
