package access

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Orders reads orders for the policy.
type Orders interface {
	Order(ctx context.Context, id string) (*shelf.Order, error)
}

// WithOrders lets the policy answer for orders.
func (p *Policy) WithOrders(o Orders) *Policy {
	p.orders = o
	return p
}

// OrderStanding is why a caller may see an order.
type OrderStanding int

// The standings, weakest first.
const (
	OrderVendor   OrderStanding = iota + 1 // an admin of the app's partner org
	OrderPlatform                          // a platform admin
	OrderCustomer                          // an admin of the org that placed it
)

// Order is the caller's standing towards one order.
type Order struct {
	Order    *shelf.Order
	User     *shelf.User
	Standing OrderStanding
}

// RequireOrder loads the order in the path for a caller who may see it:
// an admin of the org that placed it, an admin of the app's partner org,
// or a platform admin. Others get 404.
func (p *Policy) RequireOrder(r *http.Request) (Order, error) {
	u, err := RequireUser(r)
	if err != nil {
		return Order{}, err
	}
	o, err := p.orders.Order(r.Context(), r.PathValue("order"))
	if err != nil {
		return Order{}, err
	}
	if role, ok, err := p.store.MemberRole(r.Context(), o.OrgID, u.ID); err != nil {
		return Order{}, err
	} else if ok && role == shelf.RoleAdmin {
		return Order{Order: o, User: u, Standing: OrderCustomer}, nil
	}
	if u.HasPlatformRole(shelf.PlatformAdmin) {
		return Order{Order: o, User: u, Standing: OrderPlatform}, nil
	}
	app, err := p.apps.App(r.Context(), o.AppID)
	if err != nil {
		return Order{}, err
	}
	if role, ok, err := p.store.MemberRole(r.Context(), app.OrgID, u.ID); err != nil {
		return Order{}, err
	} else if ok && role == shelf.RoleAdmin {
		return Order{Order: o, User: u, Standing: OrderVendor}, nil
	}
	return Order{}, shelf.NotFound("order")
}

// RequireCustomerOrder is RequireOrder for changes only the customer may
// make (pay, cancel).
func (p *Policy) RequireCustomerOrder(r *http.Request) (Order, error) {
	acc, err := p.RequireOrder(r)
	if err == nil && acc.Standing != OrderCustomer {
		err = shelf.Forbidden("org_admin_required", "only an admin of the org that placed the order may do this")
	}
	return acc, err
}
