package shelf

import "time"

// SeatsChange is what an org admin asks of a subscription's seats: these
// members exactly, or every member of the org.
type SeatsChange struct {
	UserIDs    []string
	AllMembers bool
	ByUserID   string
	// Scope, when not nil, limits the change to these members (a page of
	// them): those of Scope not in UserIDs lose their seat, UserIDs get
	// one, and every other seat is kept, all in the change's transaction
	// (two admins saving different pages never undo each other). Leaving
	// all_members starts from no seats. Nil replaces every seat.
	Scope []string
}

// Seat is a member holding a seat.
type Seat struct {
	UserID     string    `json:"user_id"`
	AssignedBy string    `json:"assigned_by"`
	AssignedAt time.Time `json:"assigned_at"`
}

// Idempotency names a request that may be retried: its key, and a hash of
// what it asked (so the key cannot be reused for another request).
type Idempotency struct {
	Key  string
	Hash string
}

// Answer is an HTTP answer kept for an idempotency key: a retry with the
// same key and body gets it again, byte for byte.
type Answer struct {
	Status int
	Body   []byte
}

// AnswerFunc renders the answer to a created order; it runs inside the
// transaction so the answer is kept with the order or not at all.
type AnswerFunc func(*Order) (Answer, error)

// OrderPlaced is what CreateOrder did: a new order and its answer, or the
// kept answer of the first request with the same key.
type OrderPlaced struct {
	Order  *Order // nil on a replay
	Answer Answer
	Replay bool
}

// OrderQuery selects orders: of one org, of one app, or all (the
// platform's view); newest first, Limit at a time before a cursor.
type OrderQuery struct {
	OrgID, AppID string
	State        OrderState
	PageReq
}

// VendorToken is an org access token as issued: shown once.
type VendorToken struct {
	AccessToken  string        `json:"access_token"`
	TokenType    string        `json:"token_type"`
	ExpiresIn    int64         `json:"expires_in"`
	RefreshToken string        `json:"refresh_token"`
	AppID        string        `json:"-"`
	OrgID        string        `json:"org_id"`
	TTL          time.Duration `json:"-"`
}

// TokenGrant is what a vendor token allows: one app, in one org, until it
// expires.
type TokenGrant struct {
	AppID, OrgID string
	ExpiresAt    time.Time
}
