package storetest

// listingFills: apps, listings, the review queue, self-tests, installations,
// promotion channels and reviews. A generated app is named by its number, so
// the apps list (by name) keeps the order of the numbers.
var listingNeeds = map[string][]string{
	"apps": nil, "listings": {"apps"}, "review-queue": {"listings"}, "self-tests": nil,
	"installations": {"apps"}, "app-installations": {"orgs"}, "channels": nil, "reviews": {"orgs"},
}

var listingFills = []pagingFill{
	{"apps", `INSERT INTO apps (id, org_id, kind, name, client_id, client_secret_hash, created_at, updated_at)
		SELECT 'app_gen' || {n}, $4, 'org', 'Gen app ' || {n}, 'cid_gen' || {n}, 'x', {at}, {at} FROM c`, []string{"PartnerID"}},
	{"listings", `INSERT INTO listings (id, app_id, org_id, state, created_at, updated_at)
		SELECT 'lst_gen' || {n}, 'app_gen' || {n}, $4, 'unlisted', {at}, {at} FROM c`, []string{"PartnerID"}},
	// Each generated listing's first revision waits for review in the
	// first leaf category.
	{"review-queue", `INSERT INTO revisions (id, listing_id, number, state, category_id, doc, created_by, submitted_at, created_at, updated_at)
		SELECT 'rev_gen' || {n}, 'lst_gen' || {n}, 1, 'submitted', (SELECT MIN(id) FROM categories WHERE parent_id IS NOT NULL),
			'{"name":"Gen listing ' || {n} || '","name_en":"Gen listing ' || {n} || '"}', $4, {at}, {at}, {at} FROM c`, []string{"UserID"}},
	// Failed runs of the app in its partner's first test org.
	{"self-tests", `INSERT INTO self_tests (id, app_id, test_org_id, started_by, config_hash, passed, checks, started_at, finished_at)
		SELECT 'stt_gen' || {n}, $4, (SELECT MIN(id) FROM orgs WHERE owner_org_id = $5 AND test = TRUE), $6, 'gen', FALSE, '[]', {at}, {at} FROM c`,
		[]string{"AppID", "PartnerID", "UserID"}},
	{"installations", `INSERT INTO installations (id, app_id, org_id, group_id, status, installed_by, created_at, updated_at)
		SELECT 'ins_gen' || {n}, 'app_gen' || {n}, $4, '', 'active', $5, {at}, {at} FROM c`, []string{"OrgID", "UserID"}},
	{"app-installations", `INSERT INTO installations (id, app_id, org_id, group_id, status, installed_by, created_at, updated_at)
		SELECT 'ins_a_gen' || {n}, $4, 'org_gen' || {n}, '', 'active', $5, {at}, {at} FROM c`, []string{"AppID", "UserID"}},
	{"channels", `INSERT INTO promo_channels (id, code, listing_id, app_id, org_id, name, target, created_by, created_at, updated_at)
		SELECT 'chn_gen' || {n}, 'gen' || {n}, $4, $5, $6, 'Gen channel ' || {n}, 'listing', $7, {at}, {at} FROM c`,
		[]string{"ListingID", "AppID", "PartnerID", "UserID"}},
	// One review from each generated org.
	{"reviews", `INSERT INTO ratings (id, listing_id, org_id, author_id, author_role, stars, body, created_at, updated_at)
		SELECT 'rvw_gen' || {n}, $4, 'org_gen' || {n}, $5, 'admin', 1 + i % 5, 'Gen review ' || {n}, {at}, {at} FROM c`,
		[]string{"ListingID", "UserID"}},
	// and their counts, as the store keeps them ({at} only for its type).
	{"reviews", `INSERT INTO rating_counts (listing_id, stars, n)
		SELECT $4, 1 + i % 5, COUNT(*) FROM c WHERE {at} > 0 GROUP BY 1 + i % 5
		ON CONFLICT (listing_id, stars) DO UPDATE SET n = rating_counts.n + excluded.n`, []string{"ListingID"}},
}
