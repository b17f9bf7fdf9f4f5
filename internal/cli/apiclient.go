package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// apiClient is the little of Shelf's JSON API that `shelf listing push`
// needs. It stays here rather than in the public sdk/ because it speaks as
// a partner (personal token), while the SDK speaks as a vendor's server.
type apiClient struct {
	base  string // e.g. https://shelf.example.com, no trailing slash
	token string
	http  *http.Client
}

// apiError is an error answer of the API: {"error":{"code","message","field"}}
// with its HTTP status.
type apiError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the server answered %d %s", e.Status, e.Code)
	if e.Field != "" {
		b.WriteString(" on " + e.Field)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// newAPIClient checks the server URL early, so that a typo is a usage
// error rather than a confusing network failure.
func newAPIClient(server, token string) (*apiClient, error) {
	u, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--server %q is not an http(s) URL such as https://shelf.example.com", server)
	}
	return &apiClient{base: u.String(), token: token, http: &http.Client{Timeout: 2 * time.Minute}}, nil
}

// getJSON, sendJSON and upload are do with the usual bodies.
func (c *apiClient) getJSON(ctx context.Context, path string, out any) error {
	return c.do(ctx, http.MethodGet, path, "", nil, out)
}

func (c *apiClient) sendJSON(ctx context.Context, method, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(ctx, method, path, "application/json", bytes.NewReader(body), out)
}

func (c *apiClient) upload(ctx context.Context, path, contentType string, data []byte, out any) error {
	return c.do(ctx, http.MethodPost, path, contentType, bytes.NewReader(data), out)
}

// do sends one request and decodes a 2xx answer into out; any other answer
// becomes an *apiError (or a plain error when it is not the API's JSON, e.g.
// a proxy's HTML page).
func (c *apiClient) do(ctx context.Context, method, path, contentType string, body io.Reader, out any) error {
	return c.doWith(ctx, method, path, contentType, nil, body, out)
}

// sendJSONWith is sendJSON with extra request headers (an Idempotency-Key).
func (c *apiClient) sendJSONWith(ctx context.Context, method, path string, header http.Header, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.doWith(ctx, method, path, "application/json", header, bytes.NewReader(body), out)
}

func (c *apiClient) doWith(ctx context.Context, method, path, contentType string, header http.Header, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "shelf-cli/"+version())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		var env struct {
			Error *apiError `json:"error"`
		}
		if json.Unmarshal(data, &env) != nil || env.Error == nil {
			return fmt.Errorf("%s %s: the server answered %s, not Shelf's API (is --server right?)", method, path, res.Status)
		}
		env.Error.Status = res.StatusCode
		return env.Error
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the API's JSON (is --server right?): %w", method, path, err)
	}
	return nil
}

// apiCode returns the API error code of err, or "".
func apiCode(err error) string {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// apiStatus returns the HTTP status of an API error, or 0.
func apiStatus(err error) int {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}
