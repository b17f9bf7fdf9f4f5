package oidc

import (
	"net/url"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// client is a registered app as op sees it: a confidential web client that
// uses the authorization code flow, with redirect URIs matched exactly.
type client struct {
	c        *shelf.OIDCClient
	loginURL string
	idTTL    time.Duration
}

var _ op.Client = client{}

func (c client) GetID() string                       { return c.c.App.ClientID }
func (c client) RedirectURIs() []string              { return c.c.RedirectURIs }
func (c client) PostLogoutRedirectURIs() []string    { return nil }
func (c client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }

// AuthMethod is the method op checks first; client_secret_post is
// accepted too (op.Config.AuthMethodPost).
func (c client) AuthMethod() oidc.AuthMethod { return oidc.AuthMethodBasic }
func (c client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c client) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c client) IDTokenLifetime() time.Duration      { return c.idTTL }
func (c client) DevMode() bool                       { return false }
func (c client) IsScopeAllowed(string) bool          { return false }
func (c client) ClockSkew() time.Duration            { return 0 }

// LoginURL is Shelf's sign-in page for an auth request.
func (c client) LoginURL(id string) string { return c.loginURL + "?id=" + url.QueryEscape(id) }

// IDTokenUserinfoClaimsAssertion puts the profile and email claims in the
// ID token as well as in userinfo, so an app knows who signed in without a
// second request.
func (c client) IDTokenUserinfoClaimsAssertion() bool { return true }

func (c client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
