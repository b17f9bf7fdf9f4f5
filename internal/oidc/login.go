package oidc

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// LoginRequest is what the sign-in page shows: which app asks, for what.
type LoginRequest struct {
	ID  string
	App shelf.App
	// Scopes the app asks for: openid, and maybe profile and email.
	Scopes []string
	// LoginHint is the app's hint of who should sign in: the pairwise
	// subject Shelf gave it (see LaunchURL) or an email address.
	LoginHint string
	// Prompt is OIDC's prompt: "none" asks not to show any page (answer
	// with Deny(…, "login_required") unless someone is signed in), "login"
	// to sign in again.
	Prompt    []string
	ExpiresAt time.Time
}

// LoginRequest returns the auth request the sign-in page was opened for;
// a not-found error once it expired or was completed.
func (p *Provider) LoginRequest(ctx context.Context, id string) (*LoginRequest, error) {
	r, err := p.store.OIDCAuthRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.UserID != "" {
		return nil, shelf.NotFound("sign-in request")
	}
	app, err := p.store.App(ctx, r.AppID)
	if err != nil {
		return nil, err
	}
	return &LoginRequest{ID: r.ID, App: *app, Scopes: r.Scopes, LoginHint: r.LoginHint, Prompt: r.Prompt, ExpiresAt: r.ExpiresAt}, nil
}

// Complete finishes an auth request for a user signed in to Shelf who
// chose an org: the user must be a member of the org and the app installed
// there. It returns the URL to send the browser to: the app's redirect URI
// with the one-time code and the app's state. A request completes once.
func (p *Provider) Complete(ctx context.Context, authRequestID, userID, orgID string) (string, error) {
	r, err := p.store.OIDCAuthRequest(ctx, authRequestID)
	if err != nil {
		return "", err
	}
	if r.UserID != "" {
		return "", shelf.NotFound("sign-in request")
	}
	if _, member, err := p.store.MemberRole(ctx, orgID, userID); err != nil {
		return "", err
	} else if !member {
		return "", shelf.Forbidden("not_a_member", "you are not a member of this organization")
	}
	if ok, err := p.store.IsInstalled(ctx, r.AppID, orgID); err != nil {
		return "", err
	} else if !ok {
		return "", shelf.Forbidden("app_not_installed", "this app is not installed in this organization")
	}
	if err := p.store.CompleteOIDCAuthRequest(ctx, r.ID, userID, orgID); err != nil {
		return "", err
	}
	if r, err = p.store.OIDCAuthRequest(ctx, r.ID); err != nil {
		return "", err
	}
	u, err := op.BuildAuthResponseCallbackURL(op.ContextWithIssuer(ctx, p.cfg.Issuer), p.wrap(r), p.op)
	if err != nil {
		return "", fmt.Errorf("complete sign-in request %s: %w", r.ID, err)
	}
	return u, nil
}

// Deny ends an auth request without signing in: code is access_denied
// (the user cancelled), login_required (prompt=none and nobody signed in)
// or interaction_required. It returns the URL to send the browser to: the
// app's redirect URI with the error and the app's state (RFC 6749
// §4.1.2.1).
func (p *Provider) Deny(ctx context.Context, authRequestID, code string) (string, error) {
	var e *oidc.Error
	switch code {
	case "access_denied":
		e = oidc.ErrAccessDenied().WithDescription("the user did not sign in")
	case "login_required":
		e = oidc.ErrLoginRequired().WithDescription("nobody is signed in")
	case "interaction_required":
		e = oidc.ErrInteractionRequired().WithDescription("the user must sign in")
	default:
		return "", fmt.Errorf("deny: unknown error code %q", code)
	}
	r, err := p.store.OIDCAuthRequest(ctx, authRequestID)
	if err != nil {
		return "", err
	}
	if r.UserID != "" {
		return "", shelf.NotFound("sign-in request")
	}
	e.State = r.State
	return op.AuthResponseURL(r.RedirectURI, oidc.ResponseType(r.ResponseType), oidc.ResponseMode(r.ResponseMode), e, p.op.Encoder())
}

// LaunchURL is where the workbench sends a member to open an app: its
// initiate-login URI with the issuer, a login hint (the member's pairwise
// subject for the app) and the app's launch URL as target (OIDC Core §4),
// so the app starts a sign-in at once and the member lands signed in.
// An app that registered no initiate-login URI is opened at its launch
// URL.
func (p *Provider) LaunchURL(ctx context.Context, appID, userID string) (string, error) {
	app, err := p.store.App(ctx, appID)
	if err != nil {
		return "", err
	}
	o, err := p.store.AppOIDC(ctx, appID)
	if err != nil {
		return "", err
	}
	if o.InitiateLoginURI == "" {
		return app.LaunchURL, nil
	}
	return InitiateLoginURL(o.InitiateLoginURI, p.cfg.Issuer, p.Subject(appID, userID), app.LaunchURL)
}

// InitiateLoginURL builds a third-party-initiated login URL (OIDC Core §4):
// initiateLoginURI with iss, login_hint and target_link_uri added to its
// query (the last two left out when empty).
func InitiateLoginURL(initiateLoginURI, issuer, loginHint, targetLinkURI string) (string, error) {
	u, err := url.Parse(initiateLoginURI)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("initiate login URI %q is not an absolute URL", initiateLoginURI)
	}
	q := u.Query()
	q.Set("iss", issuer)
	for k, v := range map[string]string{"login_hint": loginHint, "target_link_uri": targetLinkURI} {
		if v != "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
