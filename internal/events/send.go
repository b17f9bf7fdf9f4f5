package events

// Sending one event to a vendor: the signed request, what its answer
// means for the delivery, and what of it is kept.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/sdk"
)

// deliver sends one event and decides what comes next.
func (d *Dispatcher) deliver(ctx context.Context, j shelf.DeliveryJob) shelf.DeliveryOutcome {
	start, began := d.opt.Clock.Now(), time.Now()
	status, resp, err := d.send(ctx, j, start)
	// Latency is measured, not scheduled: real time, whatever the clock.
	att := shelf.DeliveryAttempt{EventID: j.Event.ID, EventType: j.Event.Type, AttemptedAt: start, StatusCode: status, Response: resp,
		Latency: time.Since(began)}
	if err != nil {
		att.Error = err.Error()
	}
	att.OK = err == nil && status >= 200 && status < 300
	if !att.OK {
		d.opt.Logger.Info("webhook attempt failed", "event", j.Event.ID, "app", j.Event.AppID, "status", status, "err", err)
	}
	out := d.decide(j, att)
	d.opt.Metrics.attempt(out)
	return out
}

// decide is the retry policy: delivered on 2xx; otherwise retried after
// the schedule's delay, failed when that passes the delivery window, and
// parked (so the stream moves on) when the event would hold up its stream
// longer than the order cap.
func (d *Dispatcher) decide(j shelf.DeliveryJob, att shelf.DeliveryAttempt) shelf.DeliveryOutcome {
	out := shelf.DeliveryOutcome{AppID: j.Event.AppID, Attempt: att, LeaseID: j.LeaseID, State: j.State, NextAttemptAt: att.AttemptedAt}
	if att.OK {
		out.State = shelf.DeliveryDelivered
		return out
	}
	now := att.AttemptedAt
	out.NextAttemptAt = now.Add(d.opt.Schedule.Delay(j.Attempts+1, d.opt.Rand()))
	first := now
	if j.FirstAttemptAt != nil {
		first = *j.FirstAttemptAt
	}
	switch {
	case out.NextAttemptAt.After(j.GiveUpAt):
		out.State = shelf.DeliveryFailed
	case j.State == shelf.DeliveryPending && out.NextAttemptAt.Sub(first) > d.opt.OrderCap:
		out.State = shelf.DeliveryParked
	}
	return out
}

// send POSTs the signed event; it returns the status and the kept start of
// the answer. The body is read up to a limit only.
func (d *Dispatcher) send(ctx context.Context, j shelf.DeliveryJob, now time.Time) (int, string, error) {
	if len(j.Secrets) == 0 {
		return 0, "", errors.New("the app has no signing secret")
	}
	u, err := parseURL(j.URL)
	if err != nil {
		return 0, "", err
	}
	if err := d.opt.Guard.checkScheme("webhook_url", u); err != nil {
		return 0, "", err
	}
	body, err := json.Marshal(j.Event)
	if err != nil {
		return 0, "", fmt.Errorf("encode event: %w", err)
	}
	// An attempt under way finishes (within its timeouts) even at shutdown:
	// cut off, it would count as a failure and delay the event's retry.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.opt.ConnectTimeout+d.opt.ResponseTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.URL, strings.NewReader(string(body)))
	if err != nil {
		return 0, "", fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", shelf.WebhookUserAgent)
	req.Header.Set(sdk.HeaderEventID, j.Event.ID)
	req.Header.Set(sdk.HeaderEventType, j.Event.Type)
	req.Header.Set(sdk.HeaderSignature, sdk.SignatureHeader(now, body, j.Secrets...))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, "", scrub(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseRead))
	kept := truncate(b, maxResponseKept)
	if err != nil {
		return resp.StatusCode, kept, fmt.Errorf("read answer: %w", scrub(err))
	}
	return resp.StatusCode, kept, nil
}

// scrub drops the *url.Error wrapper, whose text repeats the URL: the
// partner knows it, and a URL may carry a token in its query.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// truncate keeps the first n bytes of a vendor's answer as valid UTF-8
// without NUL characters, which PostgreSQL refuses in text (and in the JSON
// that carries a batch of outcomes): an answer holding one would fail the
// recording of its whole batch, again at every retry.
func truncate(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	return strings.ReplaceAll(strings.ToValidUTF8(string(b), "�"), "\x00", "�")
}
