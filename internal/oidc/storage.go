package oidc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the provider's state as op.Storage: it maps op's calls onto the
// store and decides what op leaves to the implementer (PKCE required, the
// claims, one-time codes).
type storage struct{ p *Provider }

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

// serverError marks a fault of Shelf's, not of the client's request: op
// answers it with server_error.
func serverError(err error) error { return oidc.ErrServerError().WithParent(err) }

// authRequest is a stored auth request as op sees it; the subject is the
// pairwise one of its app and user, once someone signed in.
type authRequest struct {
	r       *shelf.OIDCAuthRequest
	subject string
}

var _ op.AuthRequest = (*authRequest)(nil)

func (p *Provider) wrap(r *shelf.OIDCAuthRequest) *authRequest {
	a := &authRequest{r: r}
	if r.UserID != "" {
		a.subject = p.Subject(r.AppID, r.UserID)
	}
	return a
}

func (a *authRequest) GetID() string          { return a.r.ID }
func (a *authRequest) GetACR() string         { return "" }
func (a *authRequest) GetAMR() []string       { return nil }
func (a *authRequest) GetAudience() []string  { return []string{a.r.ClientID} }
func (a *authRequest) GetAuthTime() time.Time { return a.r.AuthTime }
func (a *authRequest) GetClientID() string    { return a.r.ClientID }
func (a *authRequest) GetNonce() string       { return a.r.Nonce }
func (a *authRequest) GetRedirectURI() string { return a.r.RedirectURI }
func (a *authRequest) GetScopes() []string    { return a.r.Scopes }
func (a *authRequest) GetState() string       { return a.r.State }
func (a *authRequest) GetSubject() string     { return a.subject }
func (a *authRequest) Done() bool             { return a.r.UserID != "" }
func (a *authRequest) GetResponseType() oidc.ResponseType {
	return oidc.ResponseType(a.r.ResponseType)
}
func (a *authRequest) GetResponseMode() oidc.ResponseMode {
	return oidc.ResponseMode(a.r.ResponseMode)
}
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.r.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.r.CodeChallenge, Method: oidc.CodeChallengeMethod(a.r.CodeChallengeMethod)}
}

// GetClientByClientID returns a registered, active app as a client. An
// unknown one is a plain error: op answers it as the client's fault.
func (s *storage) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	c, err := s.p.store.OIDCClient(ctx, clientID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return nil, errors.New("unknown client")
	}
	if err != nil {
		return nil, serverError(err)
	}
	if c.App.Registration != shelf.AppActive {
		return nil, errors.New("client not active")
	}
	return client{c: c, loginURL: s.p.loginURL, idTTL: s.p.cfg.IDTokenLifetime}, nil
}

// AuthorizeClientIDSecret checks an app's client secret.
func (s *storage) AuthorizeClientIDSecret(ctx context.Context, clientID, clientSecret string) error {
	_, err := s.p.store.AuthenticateApp(ctx, clientID, clientSecret)
	if shelf.ErrorKind(err) == shelf.KindUnauthenticated {
		return errors.New("wrong client credentials")
	}
	if err != nil {
		return serverError(err)
	}
	return nil
}

// CreateAuthRequest stores an authorization request op has checked against
// the client (redirect URI, response type, scopes). It adds Shelf's rules:
// the openid scope, PKCE with S256, and a response in the query or the
// fragment. op sends refusals to the (valid) redirect URI.
func (s *storage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	switch {
	case !slices.Contains(req.Scopes, oidc.ScopeOpenID):
		return nil, oidc.ErrInvalidScope().WithDescription("the openid scope is required")
	case req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	case req.ResponseMode != "" && req.ResponseMode != oidc.ResponseModeQuery && req.ResponseMode != oidc.ResponseModeFragment:
		return nil, oidc.ErrInvalidRequest().WithDescription("response_mode must be query or fragment")
	}
	c, err := s.p.store.OIDCClient(ctx, req.ClientID)
	if err != nil {
		return nil, serverError(err)
	}
	r := &shelf.OIDCAuthRequest{ID: shelf.NewID("oar"), AppID: c.App.ID, ClientID: req.ClientID, RedirectURI: req.RedirectURI,
		Scopes: req.Scopes, State: req.State, Nonce: req.Nonce, ResponseType: string(req.ResponseType), ResponseMode: string(req.ResponseMode),
		CodeChallenge: req.CodeChallenge, CodeChallengeMethod: string(req.CodeChallengeMethod), LoginHint: req.LoginHint,
		Prompt: req.Prompt, ExpiresAt: s.p.clock.Now().Add(s.p.cfg.RequestLifetime)}
	if err := s.p.store.CreateOIDCAuthRequest(ctx, r); err != nil {
		return nil, serverError(err)
	}
	return s.p.wrap(r), nil
}

// AuthRequestByID returns an unexpired auth request.
func (s *storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	r, err := s.p.store.OIDCAuthRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.p.wrap(r), nil
}

// AuthRequestByCode returns the auth request of an unexpired, unused
// code; op answers any error with invalid_grant. A replayed code revokes
// the tokens issued for it (the store does).
func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := s.p.store.OIDCAuthRequestByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.p.wrap(r), nil
}

// SaveAuthCode records the code of a completed request; only one.
func (s *storage) SaveAuthCode(ctx context.Context, id, code string) error {
	if err := s.p.store.SaveOIDCCode(ctx, id, code, s.p.cfg.CodeLifetime); err != nil {
		return oidc.ErrInvalidRequest().WithDescription("this sign-in request already has a code").WithParent(err)
	}
	return nil
}

// DeleteAuthRequest is called once the code was exchanged. The request is
// kept (the code was marked used by CreateAccessToken), so a replay of the
// code is recognised; the store's pruning removes it later.
func (s *storage) DeleteAuthRequest(context.Context, string) error { return nil }

// CreateAccessToken redeems the code of the auth request and stores the
// access token, in one transaction: a code redeemed twice, even by two
// nodes at once, is refused with invalid_grant and revokes the tokens.
func (s *storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	a, ok := req.(*authRequest)
	if !ok {
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	t := &shelf.OIDCToken{ID: secret.NewToken(""), AuthRequestID: a.r.ID, AppID: a.r.AppID, UserID: a.r.UserID, OrgID: a.r.OrgID,
		Subject: a.subject, Scopes: a.r.Scopes, ExpiresAt: s.p.clock.Now().Add(s.p.cfg.AccessTokenLifetime)}
	if err := s.p.store.RedeemOIDCCode(ctx, t); err != nil {
		if e, ok := shelf.AsError(err); ok && e.Kind == shelf.KindInvalid {
			return "", time.Time{}, oidc.ErrInvalidGrant().WithDescription("%s", e.Message)
		}
		return "", time.Time{}, serverError(err)
	}
	return t.ID, t.ExpiresAt, nil
}

// CreateAccessAndRefreshTokens is not offered: apps get no refresh tokens
// (the client's grant types leave it out, so op never calls it).
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType()
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession is the end_session endpoint's: Shelf's own session is
// the web layer's, so there is nothing to end here.
func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

// RevokeToken revokes an access token of the calling app (RFC 7009).
func (s *storage) RevokeToken(ctx context.Context, tokenID, userID, clientID string) *oidc.Error {
	if userID == "" {
		return nil // a refresh token: Shelf issues none
	}
	c, err := s.p.store.OIDCClient(ctx, clientID)
	if err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	if err := s.p.store.RevokeOIDCToken(ctx, tokenID, c.App.ID); err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	return nil
}

// SigningKey is the key that signs now.
func (s *storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	return s.p.keys.signingKey(ctx)
}

// SignatureAlgorithms are the algorithms of the published keys.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet is the JWKS.
func (s *storage) KeySet(ctx context.Context) ([]op.Key, error) { return s.p.keys.published(ctx) }

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does
// the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's claims.
func (s *storage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	a, ok := req.(*authRequest)
	if !ok {
		return oidc.ErrServerError().WithDescription("unexpected token request")
	}
	return s.p.userinfo(ctx, info, a.r.AppID, a.r.UserID, a.r.OrgID, scopes)
}

// SetUserinfoFromToken answers the userinfo endpoint for an access token.
func (s *storage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	t, err := s.p.store.OIDCToken(ctx, tokenID)
	if err != nil || t.Subject != subject {
		return errors.New("access token invalid or expired")
	}
	return s.p.userinfo(ctx, info, t.AppID, t.UserID, t.OrgID, t.Scopes)
}

// SetIntrospectionFromToken answers introspection (RFC 7662) for the app
// the token was issued to; for anyone else the token is inactive.
func (s *storage) SetIntrospectionFromToken(ctx context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.p.store.OIDCToken(ctx, tokenID)
	if err != nil || t.Subject != subject {
		return errors.New("token inactive")
	}
	c, err := s.p.store.OIDCClient(ctx, clientID)
	if err != nil || c.App.ID != t.AppID {
		return errors.New("token inactive")
	}
	resp.Active, resp.Subject, resp.ClientID, resp.Scope = true, t.Subject, clientID, t.Scopes
	resp.Expiration, resp.IssuedAt = oidc.FromTime(t.ExpiresAt), oidc.FromTime(t.CreatedAt)
	resp.Audience = []string{clientID}
	return nil
}

// GetPrivateClaimsFromScopes is for JWT access tokens, which Shelf does
// not issue.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID is for JWT client authentication, not offered.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("private_key_jwt is not supported")
}

// ValidateJWTProfileScopes is for the JWT profile grant, not offered.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("the JWT profile grant is not supported")
}

// Health is op's readiness probe; Shelf's /readyz checks the database.
func (s *storage) Health(context.Context) error { return nil }

// userinfo sets the claims of a user of an org for an app: the pairwise
// subject, org_id and entitlement always (scope openid), name with
// profile, email with email.
func (p *Provider) userinfo(ctx context.Context, info *oidc.UserInfo, appID, userID, orgID string, scopes []string) error {
	u, err := p.store.User(ctx, userID)
	if err != nil {
		return serverError(fmt.Errorf("userinfo: %w", err))
	}
	info.Subject = p.Subject(appID, userID)
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name = u.Name
	}
	if slices.Contains(scopes, oidc.ScopeEmail) {
		// Shelf does not verify addresses yet, so email_verified (false
		// here) is left out.
		info.Email = u.Email
	}
	info.AppendClaims(ClaimOrgID, orgID)
	if p.entitlements != nil {
		e, err := p.entitlements.Entitlements(ctx, appID, orgID, userID)
		if err != nil {
			return serverError(fmt.Errorf("userinfo: entitlement: %w", err))
		}
		info.AppendClaims(ClaimEntitlement, entitlementClaim(e))
	}
	return nil
}

// EntitlementClaim is the entitlement claim's value. The user's Shelf id is
// left out: the pairwise subject is the only user id an app sees. EndsAt is
// seconds since the epoch, as every time in an ID token; nil when the
// right does not end.
type EntitlementClaim struct {
	Status shelf.EntitlementStatus `json:"status"`
	Spec   string                  `json:"spec,omitempty"`
	Users  int                     `json:"users"`
	Trial  bool                    `json:"trial"`
	EndsAt *int64                  `json:"ends_at"`
}

func entitlementClaim(e shelf.Entitlement) EntitlementClaim {
	c := EntitlementClaim{Status: e.Status, Spec: e.Spec, Users: e.Users, Trial: e.Trial}
	if e.EndsAt != nil {
		v := e.EndsAt.Unix()
		c.EndsAt = &v
	}
	return c
}
