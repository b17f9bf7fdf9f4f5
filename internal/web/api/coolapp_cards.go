package api

import (
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// coolCardRoutes are group cards: posted, changed and withdrawn by the
// vendor with its org access token, read by the group's members.
func (h *Handler) coolCardRoutes() []route {
	return []route{
		{"POST", "/api/v1/vendor/groups/{group}/cards", h.coolPostCard},
		{"PUT", "/api/v1/vendor/groups/{group}/cards/{card}", h.coolUpdateCard},
		{"DELETE", "/api/v1/vendor/groups/{group}/cards/{card}", h.coolDeleteCard},
		{"GET", "/api/v1/orgs/{org}/groups/{group}/cards", h.coolGroupCards},
	}
}

// vendorGrant reads the org access token a vendor's server sends.
func (h *Handler) vendorGrant(r *http.Request) (shelf.TokenGrant, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !strings.HasPrefix(tok, shelf.VendorAccessPrefix) {
		return shelf.TokenGrant{}, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_token", Message: "send the org access token from POST /api/v1/vendor/token as Authorization: Bearer"}
	}
	return h.Entitlements.Grant(r.Context(), tok)
}

// coolPostCard posts a card into a group of the token's org that has the
// app: 403 app_not_in_group otherwise, 429 past the app's rate there.
func (h *Handler) coolPostCard(w http.ResponseWriter, r *http.Request) error {
	return h.coolWriteCard(w, r, http.StatusCreated, func(g shelf.TokenGrant, in shelf.CardInput) (*shelf.GroupCard, error) {
		return h.Cool.PostCard(r.Context(), g.AppID, g.OrgID, r.PathValue("group"), in, shelf.DefaultCardLimit)
	})
}

// coolUpdateCard replaces a card the app posted.
func (h *Handler) coolUpdateCard(w http.ResponseWriter, r *http.Request) error {
	return h.coolWriteCard(w, r, http.StatusOK, func(g shelf.TokenGrant, in shelf.CardInput) (*shelf.GroupCard, error) {
		return h.Cool.UpdateCard(r.Context(), g.AppID, g.OrgID, r.PathValue("group"), r.PathValue("card"), in)
	})
}

// coolWriteCard reads the token and the card, then writes it.
func (h *Handler) coolWriteCard(w http.ResponseWriter, r *http.Request, status int, write func(shelf.TokenGrant, shelf.CardInput) (*shelf.GroupCard, error)) error {
	g, err := h.vendorGrant(r)
	if err != nil {
		return err
	}
	var in shelf.CardInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := write(g, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, c)
	return nil
}

func (h *Handler) coolDeleteCard(w http.ResponseWriter, r *http.Request) error {
	g, err := h.vendorGrant(r)
	if err != nil {
		return err
	}
	if err := h.Cool.DeleteCard(r.Context(), g.AppID, g.OrgID, r.PathValue("group"), r.PathValue("card")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// groupCardsPager pages a group's cards, newest first.
var groupCardsPager = keyPager("group-cards", func(c shelf.GroupCard) string { return shelf.TimeKey(c.CreatedAt, c.ID) })

// coolGroupCards is the group's cards, newest first, for its members.
func (h *Handler) coolGroupCards(w http.ResponseWriter, r *http.Request) error {
	_, g, err := h.RequireGroupMember(r)
	if err != nil {
		return err
	}
	p, limit, err := groupCardsPager.request(r)
	if err != nil {
		return err
	}
	items, err := h.Cool.GroupCards(r.Context(), g.ID, afterKey(p), p.Limit)
	return groupCardsPager.write(w, r, items, limit, err)
}
