package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Cool-app event types: a partner hears its cool-app application's
// verdict; a customer org's stream carries group installs and the
// membership changes of the groups that have the app.
const (
	EventCoolAppApproved     = "coolapp.approved"
	EventCoolAppRejected     = "coolapp.rejected"
	EventCoolAppInstalled    = "cool_app.installed"
	EventGroupMembersChanged = "group.members_changed"
)

// CoolEventTypes lists the cool-app event types this SDK knows.
var CoolEventTypes = []string{EventCoolAppApproved, EventCoolAppRejected, EventCoolAppInstalled, EventGroupMembersChanged}

// FieldReason is a reviewer's remark on one field.
type FieldReason struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// CoolAppDecided is the data of coolapp.approved and coolapp.rejected.
type CoolAppDecided struct {
	ApplicationID string        `json:"application_id"`
	ReviewerID    string        `json:"reviewer_id"`
	Reason        string        `json:"reason,omitempty"`
	FieldReasons  []FieldReason `json:"field_reasons,omitempty"`
}

// GroupRef names a group chat.
type GroupRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CoolAppInstalled is the data of cool_app.installed. Exchange AuthCode
// (ExchangeCode) for the org access token that posts cards.
type CoolAppInstalled struct {
	InstallationID string   `json:"installation_id"`
	Group          GroupRef `json:"group"`
	Members        []string `json:"members"`
	InstalledBy    string   `json:"installed_by"`
	AuthCode       string   `json:"auth_code"`
}

// GroupMembersChanged is the data of group.members_changed.
type GroupMembersChanged struct {
	Group   GroupRef `json:"group"`
	Joined  []string `json:"joined"`
	Left    []string `json:"left"`
	Members []string `json:"members"`
}

// OrgToken is an org access token: the app's key to one customer org.
type OrgToken struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	OrgID        string `json:"org_id"`
}

// ExchangeCode trades an install's one-time auth code for the org's
// access token (POST /api/v1/vendor/token).
func (c *Client) ExchangeCode(ctx context.Context, code string) (*OrgToken, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {c.ClientID}, "client_secret": {c.ClientSecret}}
	var tok OrgToken
	err := c.send(ctx, http.MethodPost, "/api/v1/vendor/token", "", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), &tok)
	if err != nil {
		return nil, err
	}
	return &tok, nil
}

// CardField is one labelled value of a card.
type CardField struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// CardButton opens the app, signed in, at Path under its launch URL.
type CardButton struct {
	Text string `json:"text"`
	Path string `json:"path,omitempty"`
}

// Card is a message card: a title, text, up to 8 fields, up to 3 buttons.
type Card struct {
	Title   string       `json:"title"`
	Text    string       `json:"text,omitempty"`
	Fields  []CardField  `json:"fields,omitempty"`
	Buttons []CardButton `json:"buttons,omitempty"`
}

// GroupCard is a card as Shelf keeps it.
type GroupCard struct {
	Card
	ID      string `json:"id"`
	GroupID string `json:"group_id"`
	OrgID   string `json:"org_id"`
	AppID   string `json:"app_id"`
}

// PostCard posts a card into a group of the token's org that has the app.
// A 429 (too_many_requests) says to slow down: cards are rate-limited per
// app and group.
func (c *Client) PostCard(ctx context.Context, orgToken, groupID string, card Card) (*GroupCard, error) {
	var out GroupCard
	if err := c.sendJSON(ctx, http.MethodPost, cardsPath(groupID, ""), orgToken, card, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCard replaces a card's content.
func (c *Client) UpdateCard(ctx context.Context, orgToken, groupID, cardID string, card Card) (*GroupCard, error) {
	var out GroupCard
	if err := c.sendJSON(ctx, http.MethodPut, cardsPath(groupID, cardID), orgToken, card, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteCard withdraws a card.
func (c *Client) DeleteCard(ctx context.Context, orgToken, groupID, cardID string) error {
	return c.send(ctx, http.MethodDelete, cardsPath(groupID, cardID), orgToken, "", nil, nil)
}

func cardsPath(groupID, cardID string) string {
	p := "/api/v1/vendor/groups/" + url.PathEscape(groupID) + "/cards"
	if cardID != "" {
		p += "/" + url.PathEscape(cardID)
	}
	return p
}

func (c *Client) sendJSON(ctx context.Context, method, path, bearer string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("shelf: encode: %w", err)
	}
	return c.send(ctx, method, path, bearer, "application/json", bytes.NewReader(b), out)
}

// send calls Shelf with an org access token (bearer) or, without one, the
// app's client credentials.
func (c *Client) send(ctx context.Context, method, path, bearer, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return fmt.Errorf("shelf: %w", err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	} else {
		req.SetBasicAuth(c.ClientID, c.ClientSecret)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.roundTrip(req, method, path, out)
}
