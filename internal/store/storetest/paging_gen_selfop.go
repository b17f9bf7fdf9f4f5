package storetest

// selfopFills: leads, contact requests and tickets.
var selfopNeeds = map[string][]string{
	"leads": {"listings"}, "tickets": {"installations", "listings"}, "ticket-health": {"group-apps"},
}

var selfopFills = []pagingFill{
	// The customer org's contact requests, one on each generated listing
	// (an org has one open request per listing): partner 1's leads too.
	{"leads", `INSERT INTO leads (id, listing_id, app_id, partner_org_id, org_id, origin, source, consent,
			contact_name, contact_email, message, requested_by, created_at, updated_at)
		SELECT 'lead_gen' || {n}, 'lst_gen' || {n}, 'app_gen' || {n}, $4, $5, 'contact',
			CASE i % 4 WHEN 0 THEN 'search' WHEN 1 THEN 'category' WHEN 2 THEN 'market' ELSE 'direct' END, 'given',
			u.name, u.email, 'Generated contact request ' || {n}, u.id, {at}, {at}
		FROM c, users u WHERE u.id = $6`, []string{"PartnerID", "OrgID", "UserID"}},
	// The customer org's tickets on the generated apps it installed (each
	// of partner 1, with its listing), just opened with the default
	// targets of normal priority, each with its first message.
	{"tickets", `INSERT INTO tickets (id, org_id, app_id, listing_id, partner_org_id, opened_by, subject, priority, state,
			response_due_at, resolution_due_at, created_at, updated_at)
		SELECT 'tkt_gen' || {n}, $4, 'app_gen' || {n}, 'lst_gen' || {n}, $5, $6, 'Gen ticket ' || {n}, 'normal', 'open',
			{at} + 28800000000, {at} + 259200000000, {at}, {at} FROM c`, []string{"OrgID", "PartnerID", "UserID"}},
	{"tickets", `INSERT INTO ticket_messages (id, ticket_id, author_id, side, body, created_at)
		SELECT 'tmsg_gen' || {n}, 'tkt_gen' || {n}, $4, 'customer', 'Generated ticket ' || {n}, {at} FROM c`, []string{"UserID"}},
	// A ticket of the first generated org on each generated partner's cool
	// app (installed in its group): every partner has a row of health.
	{"ticket-health", `INSERT INTO tickets (id, org_id, app_id, listing_id, partner_org_id, opened_by, subject, priority, state,
			response_due_at, resolution_due_at, created_at, updated_at)
		SELECT 'tkt_h_gen' || {n}, 'org_gen00000001', 'app_c_gen' || {n}, '', 'org_p_gen' || {n}, $4, 'Gen cool ticket ' || {n}, 'normal', 'open',
			{at} + 28800000000, {at} + 259200000000, {at}, {at} FROM c`, []string{"UserID"}},
	{"ticket-health", `INSERT INTO ticket_messages (id, ticket_id, author_id, side, body, created_at)
		SELECT 'tmsg_h_gen' || {n}, 'tkt_h_gen' || {n}, $4, 'customer', 'Generated ticket ' || {n}, {at} FROM c`, []string{"UserID"}},
}
