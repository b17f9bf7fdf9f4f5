package events

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Client returns an HTTP client whose every connection passes the guard,
// for outbound requests other than deliveries: self-tests and the link
// checks of listings. It follows at most three redirects, each checked by
// the guard again (the dial is where the check happens).
func (g *Guard) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 3 * time.Second, Control: g.control}
	tr := &http.Transport{
		DialContext:           g.dialContext(dialer),
		TLSHandshakeTimeout:   3 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 3 {
			return errors.New("more than 3 redirects")
		}
		return g.CheckURL(req.Context(), "url", req.URL.String())
	}}
}

// LinkChecker checks that links shown to customers answer: a GET (HEAD is
// refused too often) that gets a status below 400 within the timeout.
type LinkChecker struct {
	Guard  *Guard
	client *http.Client
}

// NewLinkChecker returns a checker with a 5-second budget per link.
func NewLinkChecker(g *Guard) *LinkChecker {
	return &LinkChecker{Guard: g, client: g.Client(5 * time.Second)}
}

// CheckLink implements shelf.LinkChecker.
func (c *LinkChecker) CheckLink(ctx context.Context, raw string) error {
	if err := c.Guard.CheckURL(ctx, "url", raw); err != nil {
		// The guard's codes name a webhook; a link that Shelf may not or
		// cannot reach is, for the listing, a link that does not answer
		// (link_unreachable, docs/listing.md), and the message says why.
		if e, ok := shelf.AsError(err); ok {
			return errors.New(strings.TrimPrefix(e.Message, "url "))
		}
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", shelf.LinkCheckUserAgent)
	res, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("does not answer: %w", scrub(err))
	}
	res.Body.Close()
	if res.StatusCode >= 400 {
		return fmt.Errorf("answers HTTP %d", res.StatusCode)
	}
	return nil
}
