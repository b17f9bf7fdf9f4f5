package api

import (
	"net/http"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// coolRoutes are the cool-app endpoints: the partner program, cool-app
// applications, the cool app market, group installs and group cards.
func (h *Handler) coolRoutes() []route {
	return slices.Concat(h.coolPartnerRoutes(), h.coolApplicationRoutes(), h.coolGroupRoutes(), h.coolCardRoutes(), []route{
		{"GET", "/api/v1/cool-apps/{app}", h.coolAppPublic},
	})
}

// CoolAppPage is a cool app as the cool app market shows it: its listing
// and what it declares to group owners.
type CoolAppPage struct {
	shelf.CoolApp
	ListingID    string `json:"listing_id"`
	PartnerBadge bool   `json:"partner_badge"`
}

// coolAppPublic is a cool app in the cool app market, for anyone: its
// entry points, permissions with reasons and scenarios. An app out of the
// market (not approved, delisted, partner suspended) is 404.
func (h *Handler) coolAppPublic(w http.ResponseWriter, r *http.Request) error {
	page, err := h.CoolAppInMarket(r, r.PathValue("app"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

// CoolAppInMarket returns a cool app live in the cool app market.
func (h *Handler) CoolAppInMarket(r *http.Request, appID string) (*CoolAppPage, error) {
	li, err := h.Listings.ListingForApp(r.Context(), appID)
	if err != nil {
		return nil, shelf.NotFound("cool app")
	}
	if li.AppKind != shelf.AppCool || li.State != shelf.ListingListed || !li.Market || li.PartnerSuspended {
		return nil, shelf.NotFound("cool app")
	}
	c, err := h.Cool.CoolApp(r.Context(), appID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		// Listed through the listing workflow before cool-app applications
		// existed: nothing declared yet.
		c, err = &shelf.CoolApp{AppID: appID, CoolDeclaration: shelf.CoolDeclaration{Scenarios: []string{}, EntryPoints: []shelf.CoolEntryPoint{}, Permissions: []shelf.CoolPermission{}}}, nil
	}
	if err != nil {
		return nil, err
	}
	return &CoolAppPage{CoolApp: *c, ListingID: li.ID, PartnerBadge: li.PartnerBadge}, nil
}
