package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Client calls Shelf's API as an app, authenticated by the app's client id
// and client secret (HTTP Basic).
type Client struct {
	// BaseURL is the Shelf server, e.g. "https://shelf.example.com".
	BaseURL      string
	ClientID     string
	ClientSecret string
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
}

// EventPage is one page of the pull API.
type EventPage struct {
	Events []Event `json:"events"`
	// NextAfter is the seq to pass as after for the next page.
	NextAfter int64 `json:"next_after"`
	// LastSeq is the stream's newest seq: the page is the last when
	// NextAfter == LastSeq.
	LastSeq int64 `json:"last_seq"`
}

// APIError is an error answer from Shelf.
type APIError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("shelf: %d %s: %s", e.Status, e.Code, e.Message)
}

// Events fetches the events of the app for org with seq > after, oldest
// first, at most limit (0: the server's default). It is the fallback to
// webhooks: call it when you see a gap in seq, or on a schedule.
func (c *Client) Events(ctx context.Context, orgID string, after int64, limit int) (*EventPage, error) {
	q := url.Values{"org_id": {orgID}, "after": {strconv.FormatInt(after, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var page EventPage
	if err := c.do(ctx, http.MethodGet, "/api/v1/vendor/events?"+q.Encode(), &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// TestPing asks Shelf to send the app a test.ping event through the normal
// delivery path, and returns that event.
func (c *Client) TestPing(ctx context.Context, appID string) (*Event, error) {
	var e Event
	if err := c.do(ctx, http.MethodPost, "/api/v1/apps/"+url.PathEscape(appID)+"/events/test", &e); err != nil {
		return nil, err
	}
	return &e, nil
}

func (c *Client) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, nil)
	if err != nil {
		return fmt.Errorf("shelf: %w", err)
	}
	req.SetBasicAuth(c.ClientID, c.ClientSecret)
	return c.roundTrip(req, method, path, out)
}

// roundTrip sends a request and decodes the answer into out (nil: none
// expected); an error answer is an *APIError.
func (c *Client) roundTrip(req *http.Request, method, path string, out any) error {
	req.Header.Set("Accept", "application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("shelf: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("shelf: read answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		var env struct {
			Error APIError `json:"error"`
		}
		_ = json.Unmarshal(body, &env)
		env.Error.Status = resp.StatusCode
		if env.Error.Code == "" {
			env.Error.Code = http.StatusText(resp.StatusCode)
		}
		return &env.Error
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("shelf: decode answer: %w", err)
	}
	return nil
}
