package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// A browser whose visit of a channel was counted today carries a signed
// first-party cookie saying so: its repeat visits, on any node and after a
// restart, are answered without a write (the node's memory of the day's
// visits covers browsers that keep no cookies). The database's unique key
// stays the truth; a forged or copied cookie can only keep its holder's
// own visit from being counted.

// promoSeenCookie is the cookie of one channel's visit.
func promoSeenCookie(code string) string { return "shelf_pv_" + code }

// promoSeenValue is the cookie's value for a channel and day: the day
// and a MAC of both under the visitor key.
func promoSeenValue(key []byte, code string, day int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("promo seen " + code + " " + strconv.FormatInt(day, 10)))
	return strconv.FormatInt(day, 10) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// promoSeenValues keeps the day's cookie values by channel: a value
// depends only on the channel and the day, so the node computes each once
// a day instead of on every scan. Codes come from live channels, so the
// map holds at most the channels scanned today (and starts over at
// promoSeenMax, as it does when the day turns).
type promoSeenValues struct {
	key  []byte
	mu   sync.Mutex
	day  int64
	vals map[string]string
}

const promoSeenMax = 10000

func (s *promoSeenValues) value(code string, day int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vals == nil || s.day != day || len(s.vals) >= promoSeenMax {
		s.day, s.vals = day, make(map[string]string)
	}
	v, ok := s.vals[code]
	if !ok {
		v = promoSeenValue(s.key, code, day)
		s.vals[code] = v
	}
	return v
}

// promoSeen tells whether the request carries today's cookie of the
// channel.
func (h *Handler) promoSeen(r *http.Request, code string, day int64) bool {
	ck, err := r.Cookie(promoSeenCookie(code))
	return err == nil && hmac.Equal([]byte(ck.Value), []byte(h.promoSeenVals.value(code, day)))
}

// markPromoSeen sets today's cookie of the channel, until the day ends
// (UTC, as visits are counted).
func (h *Handler) markPromoSeen(w http.ResponseWriter, code string, now time.Time) {
	day := shelf.PromoDay(now)
	end := time.Unix((day+1)*86400, 0).UTC()
	http.SetCookie(w, &http.Cookie{Name: promoSeenCookie(code), Value: h.promoSeenVals.value(code, day), Path: "/p/", Expires: end,
		MaxAge: max(1, int(end.Sub(now).Seconds())), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.sessions.Secure})
}
