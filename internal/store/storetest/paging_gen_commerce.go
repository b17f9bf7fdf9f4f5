package storetest

// commerceFills: subscriptions, seats, orders and statements.
var commerceNeeds = map[string][]string{
	"subscriptions": {"listings"}, "app-subscriptions": {"orgs"}, "seats": {"subscriptions", "members"},
	"orders": nil, "statements": nil,
}

var commerceFills = []pagingFill{
	// The org's free subscription to each generated app (one per app):
	// licences large enough that the seats below never run over.
	{"subscriptions", `INSERT INTO subscriptions (id, org_id, app_id, listing_id, kind, spec_code, users, starts_at, created_at, updated_at)
		SELECT 'sub_gen' || {n}, $4, 'app_gen' || {n}, 'lst_gen' || {n}, 'free', 'gen-free', 1000000, {at}, {at}, {at} FROM c`,
		[]string{"OrgID"}},
	// Each generated org's free subscription to the app (one per org).
	{"app-subscriptions", `INSERT INTO subscriptions (id, org_id, app_id, listing_id, kind, spec_code, users, starts_at, created_at, updated_at)
		SELECT 'sub_a_gen' || {n}, 'org_gen' || {n}, $4, $5, 'free', 'gen-free', 1000000, {at}, {at}, {at} FROM c`,
		[]string{"AppID", "ListingID"}},
	// The generated members hold seats of the first generated
	// subscription, given by the person; it counts them.
	{"seats", `INSERT INTO seats (subscription_id, user_id, assigned_by, assigned_at)
		SELECT 'sub_gen00000001', 'usr_gen' || {n}, $4, {at} FROM c`, []string{"UserID"}},
	{"seats", `UPDATE subscriptions SET assigned_seats = assigned_seats + (SELECT COUNT(*) FROM c), updated_at = (SELECT MAX({at}) FROM c)
		WHERE id = 'sub_gen00000001'`, nil},
	// The org's orders of the app, cancelled unpaid (an order waiting for
	// payment is one per org and app): the org's, the app's and the
	// platform's lists show the same rows.
	{"orders", `INSERT INTO orders (id, org_id, app_id, listing_id, type, spec_code, users, periods, state, amount, currency, computation,
			created_by, created_at, cancelled_at, reason)
		SELECT 'ord_gen' || {n}, $4, $5, $6, 'BUY', 'gen-month', 1, 1, 'cancelled', 100, 'CNY',
			'{"type":"BUY","spec_code":"gen-month","users":1,"periods":1,"period":"month","currency":"CNY","lines":[],"list_amount":100,"amount":100,' ||
			'"test":false,"effective_at":"2026-01-01T00:00:00Z","starts_at":"2026-01-01T00:00:00Z","ends_at":"2026-02-01T00:00:00Z","anchor_day":1,"unit_price":100}',
			$7, {at}, {at}, 'unpaid' FROM c`, []string{"OrgID", "AppID", "ListingID", "UserID"}},
	// The partner's statements in 100 made-up currencies (X00 to X99, the
	// number's last two digits), a hundred numbers a month back from
	// 2025-12 (month 24311 counted from year 0): a month holds 100, so the
	// list's order (month, then id, newest first) is not the ids' order
	// and both halves of its key are walked. The platform's list (no
	// ?month=) shows them too.
	{"statements", `INSERT INTO statements (id, partner_org_id, month, currency, created_at, updated_at)
		SELECT 'stm_gen' || {n}, $4,
			CAST((24311 - (i - 1) / 100) / 12 AS TEXT) || '-' || SUBSTR(CAST(101 + (24311 - (i - 1) / 100) % 12 AS TEXT), 2),
			'X' || SUBSTR({n}, 7), {at}, {at} FROM c`, []string{"PartnerID"}},
}
