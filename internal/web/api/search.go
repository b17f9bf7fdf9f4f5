package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// suggestLimit is how many listings are suggested as the customer types.
const suggestLimit = 8

// SearchItem is one listing found: what anyone may see of it, its partner
// and its texts with the matches marked (HTML-escaped, <mark> around
// what matched).
type SearchItem struct {
	PublicListing
	Partner    SearchPartner     `json:"partner"`
	Highlights map[string]string `json:"highlights"`
}

// SearchPartner names the partner selling a listing.
type SearchPartner struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Badge: a member of the partner program in good standing.
	Badge bool `json:"partner_program"`
}

// SearchSuggestion is what to try when a search finds nothing: a close
// query, or a popular category.
type SearchSuggestion struct {
	Kind       string `json:"kind"` // "query" or "category"
	Q          string `json:"q,omitempty"`
	CategoryID string `json:"category_id,omitempty"`
	Name       string `json:"name,omitempty"`
	NameEn     string `json:"name_en,omitempty"`
}

// SearchPage is a page of a market search.
type SearchPage struct {
	Items       []SearchItem       `json:"items"`
	Total       int                `json:"total"`
	Page        int                `json:"page"`
	PerPage     int                `json:"per_page"`
	Suggestions []SearchSuggestion `json:"suggestions"`
}

// RunSearch checks the category, runs the search and makes its page; a
// page past the last (but the first) is out of range.
func RunSearch(ctx context.Context, m *search.Market, req search.Request, page, perPage int) (*SearchPage, error) {
	if req.Category != "" {
		if c, ok, err := m.Category(ctx, req.Category); err != nil {
			return nil, err
		} else if !ok || c.Archived {
			return nil, shelf.FieldError("category", "unknown_category", "category %s not found", req.Category)
		}
	}
	res, err := m.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	if page > 1 && req.Offset >= res.Total {
		return nil, shelf.FieldError("page", "out_of_range", "page %d is past the last page (%d results)", page, res.Total)
	}
	out := &SearchPage{Items: []SearchItem{}, Total: res.Total, Page: page, PerPage: perPage, Suggestions: []SearchSuggestion{}}
	for _, h := range res.Hits {
		l, ok, err := m.Listing(ctx, h.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // went from the market since the search
		}
		out.Items = append(out.Items, SearchItem{PublicListing: publicListings([]shelf.ListingInfo{*l.ListingInfo})[0],
			Partner: SearchPartner{ID: l.OrgID, Name: l.Partner, Badge: l.PartnerBadge}, Highlights: h.Highlights})
	}
	for _, q := range res.Suggestions {
		out.Suggestions = append(out.Suggestions, SearchSuggestion{Kind: "query", Q: q})
	}
	for _, id := range res.Categories {
		if c, ok, _ := m.Category(ctx, id); ok {
			out.Suggestions = append(out.Suggestions, SearchSuggestion{Kind: "category", CategoryID: id, Name: c.Name, NameEn: c.NameEn})
		}
	}
	return out, nil
}

// market searches what customers can find: live listings in the market
// promotion mode. Public.
func (h *Handler) market(w http.ResponseWriter, r *http.Request) error {
	req, page, perPage, err := search.ParseQuery(r.URL.Query())
	if err != nil {
		return err
	}
	// A search answers the same for everyone until the market changes:
	// the index is built first, so that its version is the one the
	// answer is kept under.
	if err := h.Market.Ready(r.Context()); err != nil {
		return err
	}
	body, err := h.Market.Memo("api "+r.URL.RawQuery, func() ([]byte, error) {
		out, err := RunSearch(r.Context(), h.Market, req, page, perPage)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // highlights hold <mark>, as WriteJSON writes them
		err = enc.Encode(out)
		return buf.Bytes(), err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return nil
}

// suggest offers listings as the customer types. Public.
func (h *Handler) suggest(w http.ResponseWriter, r *http.Request) error {
	out, err := h.Market.Suggest(r.Context(), r.URL.Query().Get("q"), suggestLimit)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, httpx.List[search.Suggestion]{Items: out})
	return nil
}
