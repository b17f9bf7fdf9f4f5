package service

import (
	"context"

	"github.com/shelfhq/shelf/internal/oidc"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CommerceStore is what selling needs from storage; *store.Store
// implements it. Its request and answer types are the store's: they carry
// no SQL, and the web layer would only copy them.
type CommerceStore interface {
	StartTrial(ctx context.Context, orgID, listingID, byUserID string) (*shelf.Subscription, error)
	InstallFree(ctx context.Context, orgID, listingID, byUserID string) (*shelf.Subscription, error)
	Subscriptions(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Subscription, error)
	AppSubscriptions(ctx context.Context, appID string, p shelf.PageReq) ([]shelf.Subscription, error)
	Subscription(ctx context.Context, orgID, appID string) (*shelf.Subscription, error)
	SetSeats(ctx context.Context, orgID, appID string, ch shelf.SeatsChange) (*shelf.Subscription, error)
	Seats(ctx context.Context, orgID, appID string, p shelf.PageReq) ([]shelf.Seat, error)
	SeatHolders(ctx context.Context, orgID, appID string, userIDs []string) ([]string, error)

	Quote(ctx context.Context, req shelf.OrderRequest) (*shelf.Quote, error)
	CreateOrder(ctx context.Context, req shelf.OrderRequest, idem shelf.Idempotency, answer shelf.AnswerFunc) (*shelf.OrderPlaced, error)
	Order(ctx context.Context, id string) (*shelf.Order, error)
	Orders(ctx context.Context, q shelf.OrderQuery) ([]shelf.Order, error)
	CancelOrder(ctx context.Context, id, byUserID, reason string) (*shelf.Order, error)
	RecordPayment(ctx context.Context, res shelf.PaymentResult, byUserID string) (*shelf.Order, error)
	Refund(ctx context.Context, orderID, byUserID, reason string) (*shelf.Order, error)

	ExchangeInstallCode(ctx context.Context, appID, code string) (*shelf.VendorToken, error)
	RefreshVendorToken(ctx context.Context, appID, refresh string) (*shelf.VendorToken, error)
	RequestSeat(ctx context.Context, orgID, listingID, userID string) error
	VendorTokenGrant(ctx context.Context, access string) (*shelf.TokenGrant, error)
	Entitlements(ctx context.Context, appID, orgID string, userIDs []string) ([]shelf.Entitlement, error)
}

// Entitlements answers the vendor API from memory (the entitlement
// package's Cache).
type Entitlements interface {
	Grant(ctx context.Context, access string) (shelf.TokenGrant, error)
	Entitlements(ctx context.Context, appID, orgID string, userIDs []string) ([]shelf.Entitlement, error)
}

// Uncached answers the vendor API from the database on every call: for
// tests and tools that run without the entitlement cache.
type Uncached struct{ Commerce CommerceStore }

// Grant looks the token up.
func (u Uncached) Grant(ctx context.Context, access string) (shelf.TokenGrant, error) {
	g, err := u.Commerce.VendorTokenGrant(ctx, access)
	if err != nil {
		return shelf.TokenGrant{}, err
	}
	return *g, nil
}

// Entitlements reads the license.
func (u Uncached) Entitlements(ctx context.Context, appID, orgID string, userIDs []string) ([]shelf.Entitlement, error) {
	return u.Commerce.Entitlements(ctx, appID, orgID, userIDs)
}

// SSO signs members in to apps (the oidc package's Provider).
type SSO interface {
	LoginRequest(ctx context.Context, id string) (*oidc.LoginRequest, error)
	Complete(ctx context.Context, authRequestID, userID, orgID string) (string, error)
	Deny(ctx context.Context, authRequestID, code string) (string, error)
	LaunchURL(ctx context.Context, appID, userID string) (string, error)
}
