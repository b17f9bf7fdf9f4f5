package events

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// TestLinkCheckCodes: whatever keeps Shelf from a link, the finding is
// link_unreachable, as docs/listing.md says, never a webhook code.
func TestLinkCheckCodes(t *testing.T) {
	lc := NewLinkChecker(&Guard{Resolver: fakeResolver{"intranet.example.com": {"10.0.0.8"}}})
	links := []shelf.Link{
		{Field: "homepage", URL: "https://[::7f00:1]/"},
		{Field: "privacy_url", URL: "http://hooks.example.com/privacy"},
		{Field: "support_contact", URL: "https://nowhere.invalid/help"},
		{Field: "privacy_url", URL: "https://intranet.example.com/p"},
	}
	fs := shelf.CheckLinks(context.Background(), lc, links)
	if len(fs) != len(links) {
		t.Fatalf("findings = %+v", fs)
	}
	for _, f := range fs {
		if f.Code != "link_unreachable" || strings.Contains(f.Message, "webhook_url") {
			t.Errorf("%s: %s %q", f.Field, f.Code, f.Message)
		}
	}
}

// TestUserAgentsDocumented keeps the agents Shelf sends in the docs.
func TestUserAgentsDocumented(t *testing.T) {
	for doc, ua := range map[string]string{"../../docs/events.md": shelf.WebhookUserAgent, "../../docs/listing.md": shelf.LinkCheckUserAgent} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "`"+ua+"`") && !strings.Contains(string(b), "User-Agent: "+ua) {
			t.Errorf("%s does not name %s", doc, ua)
		}
	}
}
