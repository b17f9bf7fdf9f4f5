package ui

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/shelf"
)

// searchMeta is what a listing page tells search engines and link
// previews: canonical and alternate addresses, description, Open Graph
// and JSON-LD SoftwareApplication with its offers.
type searchMeta struct {
	Canonical, URLZh, URLEn string
	Title, Description      string
	Image                   string
	JSONLD                  template.JS
}

// absolute is the public address of a path.
func (h *Handler) absolute(path string) string {
	return strings.TrimRight(h.BaseURL.String(), "/") + path
}

// searchMetaOf describes a live listing in the page's language.
func (h *Handler) searchMetaOf(lang string, li *shelf.ListingInfo, categoryName string) *searchMeta {
	r := li.Live
	en := lang == langEN
	pick := func(zh, e string) string {
		if en && e != "" {
			return e
		}
		return zh
	}
	path := "/listings/" + li.ID
	m := &searchMeta{URLZh: h.absolute(path), URLEn: h.absolute(path + "?lang=en"), Title: pick(r.Name, r.NameEn), Description: pick(r.Subtitle, r.SubtitleEn)}
	m.Canonical = m.URLZh
	if en {
		m.Canonical = m.URLEn
	}
	if r.Icon != nil {
		m.Image = h.absolute("/media/" + r.Icon.ID)
	}
	type offer struct {
		Type          string `json:"@type"`
		Name          string `json:"name"`
		Price         string `json:"price"`
		PriceCurrency string `json:"priceCurrency"`
		URL           string `json:"url"`
	}
	ld := struct {
		Context             string  `json:"@context"`
		Type                string  `json:"@type"`
		Name                string  `json:"name"`
		Description         string  `json:"description"`
		URL                 string  `json:"url"`
		Image               string  `json:"image,omitempty"`
		ApplicationCategory string  `json:"applicationCategory"`
		OperatingSystem     string  `json:"operatingSystem"`
		InLanguage          string  `json:"inLanguage"`
		Offers              []offer `json:"offers"`
	}{Context: "https://schema.org", Type: "SoftwareApplication", Name: m.Title, Description: m.Description, URL: m.Canonical, Image: m.Image,
		ApplicationCategory: categoryName, OperatingSystem: "Web", InLanguage: map[bool]string{true: "en", false: "zh-CN"}[en], Offers: []offer{}}
	for _, s := range r.Specs {
		ld.Offers = append(ld.Offers, offer{Type: "Offer", Name: s.Name, Price: shelf.FormatMinor(s.Price, s.Currency), PriceCurrency: s.Currency, URL: m.Canonical})
	}
	// json.Marshal escapes <, > and &: the data cannot close the script.
	b, _ := json.Marshal(ld)
	m.JSONLD = template.JS(b) // #nosec G203
	return m
}

// serveRobots tells crawlers what is public and where the sitemap is.
func (h *Handler) serveRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /orgs\nDisallow: /admin/\nDisallow: /review\nDisallow: /signin\nDisallow: /signup\nDisallow: /oidc/\n\nSitemap: %s\n", h.absolute("/sitemap.xml"))
}

// searchURLSet is a sitemap (sitemaps.org 0.9).
type searchURLSet struct {
	XMLName xml.Name           `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []searchSitemapURL `xml:"url"`
}

type searchSitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// serveSitemap lists the storefront's public pages: home, every live
// market listing in both languages, the categories and the partners.
func (h *Handler) serveSitemap(w http.ResponseWriter, r *http.Request) {
	res, err := h.Market.Search(r.Context(), search.Request{Sort: search.SortNewest, MinPrice: -1, MaxPrice: -1, Limit: 50000})
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	set := searchURLSet{URLs: []searchSitemapURL{{Loc: h.absolute("/")}, {Loc: h.absolute("/?lang=en")}}}
	partners, cats := map[string]bool{}, map[string]bool{}
	for _, hit := range res.Hits {
		l, ok, err := h.Market.Listing(r.Context(), hit.ID)
		if err != nil || !ok {
			continue
		}
		mod := l.Live.UpdatedAt.UTC().Format("2006-01-02")
		set.URLs = append(set.URLs, searchSitemapURL{Loc: h.absolute("/listings/" + l.ID), LastMod: mod}, searchSitemapURL{Loc: h.absolute("/listings/" + l.ID + "?lang=en"), LastMod: mod})
		partners[l.OrgID], cats[l.CategoryID] = true, true
	}
	for id := range cats {
		set.URLs = append(set.URLs, searchSitemapURL{Loc: h.absolute("/?category=" + id)})
	}
	for id := range partners {
		set.URLs = append(set.URLs, searchSitemapURL{Loc: h.absolute("/partners/" + id)})
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(set)
}
