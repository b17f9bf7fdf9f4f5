package shelf

import "time"

// UserSession is one of a person's signed-in browsers, as their account
// page lists it. Key names it publicly (a prefix of the stored hash, never
// the cookie's secret); Current marks the session the list was asked from;
// Device says which browser and from about where.
type UserSession struct {
	Key       string        `json:"key"`
	CreatedAt time.Time     `json:"created_at"`
	ExpiresAt time.Time     `json:"expires_at"`
	Current   bool          `json:"current"`
	Device    SessionDevice `json:"device"`
}

// SessionKeyLen is how many hex digits of a session's stored hash name it.
const SessionKeyLen = 16
