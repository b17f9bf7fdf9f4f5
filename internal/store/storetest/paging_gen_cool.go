package storetest

// coolFills: cool-app applications, group apps and cards, partner-program
// applications. The cool apps are those of generated partner orgs (one
// each), so partner 1's apps list keeps its own; they are installed into a
// group of the first generated org, so the customer org's installations
// list keeps its own too.
var coolNeeds = map[string][]string{
	"cool-partners": {"members"}, "partner-applications": {"cool-partners"}, "coolapp-applications": nil,
	"group-apps": {"cool-partners", "orgs"}, "cards": {"group-apps"},
}

var coolFills = []pagingFill{
	// Partner orgs outside the program, each with a generated user as its
	// admin and one cool app.
	{"cool-partners", `INSERT INTO orgs (id, name, kind, test, partner_program, created_at)
		SELECT 'org_p_gen' || {n}, 'Gen partner ' || {n}, 'partner', FALSE, FALSE, {at} FROM c`, nil},
	{"cool-partners", `INSERT INTO memberships (org_id, user_id, role, created_at)
		SELECT 'org_p_gen' || {n}, 'usr_gen' || {n}, 'admin', {at} FROM c`, nil},
	{"cool-partners", `INSERT INTO apps (id, org_id, kind, name, client_id, client_secret_hash, created_by, created_at, updated_at)
		SELECT 'app_c_gen' || {n}, 'org_p_gen' || {n}, 'cool', 'Gen cool app ' || {n}, 'cid_c_gen' || {n}, 'x', 'usr_gen' || {n}, {at}, {at} FROM c`, nil},
	// Each waits for a platform admin: one pending application per org.
	{"partner-applications", `INSERT INTO partner_applications (id, org_id, company_name, registration_no, contact, website, builds, state, submitted_by, created_at)
		SELECT 'pap_gen' || {n}, 'org_p_gen' || {n}, 'Gen partner ' || {n}, 'GEN' || {n}, 'Gen contact', 'https://gen' || {n} || '.example.com',
			'Cool apps for group chats', 'pending', 'usr_gen' || {n}, {at} FROM c`, nil},
	// One cool app of partner 1 (made with the first rows), rejected once
	// per row: its history and the operators' queue. At most one
	// application of an app waits, so none does.
	{"coolapp-applications", `INSERT INTO apps (id, org_id, kind, name, client_id, client_secret_hash, created_at, updated_at)
		SELECT 'app_h_gen' || {n}, $4, 'cool', 'Gen cool app (history)', 'cid_h_gen' || {n}, 'x', {at}, {at} FROM c WHERE i = 1`, []string{"PartnerID"}},
	{"coolapp-applications", `INSERT INTO coolapp_applications (id, app_id, org_id, number, state, materials, self_test_id, reason, field_reasons,
			submitted_by, decided_by, created_at, decided_at)
		SELECT 'cap_gen' || {n}, 'app_h_gen00000001', $4, i, 'rejected',
			'{"name":"Gen cool app","name_en":"Gen cool app","scenarios":["Generated scenario ' || {n} || '"],"demo_video_url":"",' ||
			'"entry_points":[{"kind":"card","name":"Gen card"}],"permissions":[{"scope":"group.cards.write","reason":"Posts generated cards"}]}',
			'', 'Generated', '[{"field":"scenarios","reason":"Generated"}]',
			COALESCE((SELECT MIN(user_id) FROM memberships WHERE org_id = $4 AND role = 'admin'), ''),
			COALESCE((SELECT MIN(user_id) FROM platform_roles WHERE role = 'platform_admin'), ''), {at}, {at} FROM c`, []string{"PartnerID"}},
	// The first generated org's group (made with the first rows), owned
	// by the person, with every generated cool app installed.
	{"group-apps", `INSERT INTO chat_groups (id, org_id, name, owner_id, created_at)
		SELECT 'grp_c_gen' || {n}, 'org_gen' || {n}, 'Gen cool group', $4, {at} FROM c WHERE i = 1`, []string{"UserID"}},
	{"group-apps", `INSERT INTO group_members (group_id, user_id, created_at)
		SELECT 'grp_c_gen' || {n}, $4, {at} FROM c WHERE i = 1`, []string{"UserID"}},
	{"group-apps", `INSERT INTO installations (id, app_id, org_id, group_id, status, installed_by, created_at, updated_at)
		SELECT 'ins_g_gen' || {n}, 'app_c_gen' || {n}, 'org_gen00000001', 'grp_c_gen00000001', 'active', $4, {at}, {at} FROM c`, []string{"UserID"}},
	// A card from each installed cool app.
	{"cards", `INSERT INTO group_cards (id, group_id, org_id, app_id, doc, created_at, updated_at)
		SELECT 'crd_gen' || {n}, 'grp_c_gen00000001', 'org_gen00000001', 'app_c_gen' || {n},
			'{"title":"Gen card ' || {n} || '","text":"Generated","fields":[{"label":"Number","value":"' || {n} || '"}],"buttons":[{"text":"Open","path":"/gen/' || {n} || '"}]}',
			{at}, {at} FROM c`, nil},
}
