package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var eventsContract = map[string]func(t *testing.T, open Opener){
	"Apps":              testApps,
	"SecretRotation":    testSecretRotation,
	"EmitSeq":           testEmitSeq,
	"EmitConcurrent":    testEmitConcurrent,
	"ClaimOrder":        testClaimOrder,
	"ClaimLease":        testClaimLease,
	"ClaimPerApp":       testClaimPerApp,
	"VendorEvents":      testVendorEvents,
	"DeliveryLog":       testDeliveryLog,
	"RecordAndClaim":    testRecordAndClaim,
	"CrashBeforeRecord": testCrashBeforeRecord,
	"ClaimBatch":        testClaimBatch,
	"BatchLeases":       testBatchLeases,
	"PruneDeliveries":   testPruneDeliveries,
	"OnEmit":            testOnEmit,
	"ReplayEvents":      testReplayEvents,
}

// MustApp registers an app with a webhook URL in a new partner org.
func MustApp(tb testing.TB, s *store.Store, webhookURL string) (*shelf.App, *shelf.AppCredentials) {
	tb.Helper()
	u := MustUser(tb, s, shelf.NewID("u")+"@example.com")
	org := MustOrg(tb, s, "Vendor", shelf.OrgPartner, u)
	a, creds, err := s.CreateApp(context.Background(), store.NewApp{OrgID: org.ID, CreatorID: u.ID, Name: "Payroll", Kind: shelf.AppOrg, WebhookURL: webhookURL})
	if err != nil {
		tb.Fatalf("create app: %v", err)
	}
	return a, creds
}

// MustEmit emits an event in its own transaction.
func MustEmit(tb testing.TB, s *store.Store, appID, orgID, typ string, data any) *shelf.Event {
	tb.Helper()
	var e *shelf.Event
	if err := s.Update(context.Background(), func(tx *store.Tx) error {
		var err error
		e, err = tx.Emit(context.Background(), appID, orgID, typ, data)
		return err
	}); err != nil {
		tb.Fatalf("emit: %v", err)
	}
	return e
}

// MustCustomer creates a customer org.
func MustCustomer(tb testing.TB, s *store.Store, name string) *shelf.Org {
	tb.Helper()
	return MustOrg(tb, s, name, shelf.OrgCustomer, MustUser(tb, s, shelf.NewID("c")+"@example.com"))
}

func testApps(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann := MustUser(t, s, "ann@example.com")
	partner := MustOrg(t, s, "Vendor", shelf.OrgPartner, ann)
	customer := MustOrg(t, s, "Customer", shelf.OrgCustomer, ann)
	good := store.NewApp{OrgID: partner.ID, CreatorID: ann.ID, Name: " Payroll ", Kind: shelf.AppCool,
		HomepageURL: "https://payroll.example.com", WebhookURL: "https://payroll.example.com/hooks"}
	for _, tc := range []struct {
		name string
		edit func(n *store.NewApp)
		code string
	}{
		{"no name", func(n *store.NewApp) { n.Name = "" }, "required"},
		{"bad kind", func(n *store.NewApp) { n.Kind = "web" }, "invalid_app_kind"},
		{"bad url", func(n *store.NewApp) { n.WebhookURL = "ftp://x" }, "invalid_url"},
		{"credentials in url", func(n *store.NewApp) { n.WebhookURL = "https://u:p@x.example.com" }, "invalid_url"},
		{"customer org", func(n *store.NewApp) { n.OrgID = customer.ID }, "not_a_partner"},
		{"missing org", func(n *store.NewApp) { n.OrgID = "org_missing" }, "not_found"},
	} {
		n := good
		tc.edit(&n)
		_, _, err := s.CreateApp(ctx, n)
		WantCode(t, err, tc.code)
	}
	a, creds, err := s.CreateApp(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Payroll" || a.Kind != shelf.AppCool || a.State != shelf.AppDraft || !shelf.HasPrefix(a.ClientID, "cli") {
		t.Fatalf("app = %+v", a)
	}
	if creds.ClientSecret == "" || creds.WebhookSecret == "" || creds.ClientSecret == creds.WebhookSecret {
		t.Fatalf("credentials = %+v", creds)
	}
	got, err := s.AuthenticateApp(ctx, a.ClientID, creds.ClientSecret)
	if err != nil || got.ID != a.ID {
		t.Fatalf("AuthenticateApp = %v, %v", got, err)
	}
	_, err = s.AuthenticateApp(ctx, a.ClientID, creds.ClientSecret+"x")
	WantCode(t, err, "invalid_client")
	_, err = s.AuthenticateApp(ctx, "cli_missing", creds.ClientSecret)
	WantCode(t, err, "invalid_client")
	if secrets, err := s.SigningSecrets(ctx, a.ID); err != nil || len(secrets) != 1 || secrets[0] != creds.WebhookSecret {
		t.Fatalf("signing secrets = %d, %v", len(secrets), err)
	}
	hook := "https://new.example.com/hooks"
	if a, err = s.UpdateApp(ctx, a.ID, store.AppPatch{WebhookURL: &hook}); err != nil || a.WebhookURL != hook {
		t.Fatalf("UpdateApp = %+v, %v", a, err)
	}
	bad := "nope"
	_, err = s.UpdateApp(ctx, a.ID, store.AppPatch{WebhookURL: &bad})
	WantCode(t, err, "invalid_url")
	list, _ := s.Apps(ctx, partner.ID, shelf.PageReq{})
	if len(list) != 1 || list[0].WebhookURL != hook {
		t.Fatalf("apps = %+v", list)
	}
	_, err = s.App(ctx, "app_missing")
	WantCode(t, err, "not_found")
}

func testSecretRotation(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, creds := MustApp(t, s, "https://x.example.com/h")
	first, err := s.RotateWebhookSecret(ctx, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	want := func(step string, secrets ...string) {
		t.Helper()
		got, err := s.SigningSecrets(ctx, a.ID)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(secrets) {
			t.Fatalf("%s: signing secrets differ (%d, want %d), %v", step, len(got), len(secrets), err)
		}
	}
	want("after rotation: new and old sign", first, creds.WebhookSecret)
	if app, _ := s.App(ctx, a.ID); app.SecretRotatingUntil == nil || !app.SecretRotatingUntil.Equal(Epoch.Add(shelf.SecretOverlap)) {
		t.Fatalf("rotating until = %v", app.SecretRotatingUntil)
	}
	clock.Advance(time.Hour)
	second, _ := s.RotateWebhookSecret(ctx, a.ID, "")
	want("rotating again drops the oldest at once", second, first)
	clock.Advance(shelf.SecretOverlap)
	want("after the overlap only the newest signs", second)
	if app, _ := s.App(ctx, a.ID); app.SecretRotatingUntil != nil {
		t.Fatalf("still rotating: %v", app.SecretRotatingUntil)
	}
	_, err = s.RotateWebhookSecret(ctx, "app_missing", "")
	WantCode(t, err, "not_found")
}

func testEmitSeq(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	a, _ := MustApp(t, s, "")
	c1, c2 := MustCustomer(t, s, "One"), MustCustomer(t, s, "Two")
	for i, tc := range []struct {
		org  string
		want int64
	}{{c1.ID, 1}, {c1.ID, 2}, {c2.ID, 1}, {c1.ID, 3}} {
		e := MustEmit(t, s, a.ID, tc.org, shelf.EventAppInstalled, map[string]int{"i": i})
		if e.Seq != tc.want || !shelf.HasPrefix(e.ID, "evt") {
			t.Fatalf("event %d: seq %d, want %d", i, e.Seq, tc.want)
		}
	}
	// A change that rolls back takes its event and its seq with it.
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.Emit(ctx, a.ID, c1.ID, shelf.EventAppUninstalled, nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if e := MustEmit(t, s, a.ID, c1.ID, shelf.EventAppUninstalled, nil); e.Seq != 4 {
		t.Fatalf("seq after rollback = %d, want 4", e.Seq)
	}
	err = s.Update(ctx, func(tx *store.Tx) error { _, err := tx.Emit(ctx, a.ID, "org_missing", "x", nil); return err })
	WantCode(t, err, "not_found")
}

// testEmitConcurrent: emitters racing on one stream get distinct seqs,
// 1 to n with no gap.
func testEmitConcurrent(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	a, _ := MustApp(t, s, "")
	c := MustCustomer(t, s, "One")
	const emitters, each = 8, 5
	var fns []func() error
	var mu sync.Mutex
	var seqs []int64
	for i := 0; i < emitters; i++ {
		fns = append(fns, func() error {
			for j := 0; j < each; j++ {
				err := s.Update(ctx, func(tx *store.Tx) error {
					e, err := tx.Emit(ctx, a.ID, c.ID, shelf.EventTestPing, nil)
					if err == nil {
						mu.Lock()
						seqs = append(seqs, e.Seq)
						mu.Unlock()
					}
					return err
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	for i, err := range together(fns...) {
		if err != nil {
			t.Fatalf("emitter %d: %v", i, err) // on the test's goroutine
		}
	}
	slices.Sort(seqs)
	for i, q := range seqs {
		if q != int64(i+1) {
			t.Fatalf("seqs %v, want 1 to %d, each once", seqs, emitters*each)
		}
	}
	if len(seqs) != emitters*each {
		t.Fatalf("%d seqs, want %d", len(seqs), emitters*each)
	}
}

// claim is a helper claiming with defaults.
func claim(t *testing.T, s *store.Store, owner string, now time.Time, limit, perApp int) []shelf.DeliveryJob {
	t.Helper()
	jobs, err := s.ClaimDeliveries(context.Background(), shelf.DeliveryClaim{Owner: owner, Now: now, Lease: time.Minute, Limit: limit, PerApp: perApp})
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

func record(t *testing.T, s *store.Store, j shelf.DeliveryJob, state shelf.DeliveryState, at, next time.Time) {
	t.Helper()
	err := s.RecordDeliveries(context.Background(), []shelf.DeliveryOutcome{{AppID: j.Event.AppID, LeaseID: j.LeaseID, State: state, NextAttemptAt: next,
		Attempt: shelf.DeliveryAttempt{EventID: j.Event.ID, EventType: j.Event.Type, AttemptedAt: at, OK: state == shelf.DeliveryDelivered, StatusCode: 200, Latency: time.Millisecond}}})
	if err != nil {
		t.Fatal(err)
	}
}

func seqsOf(jobs []shelf.DeliveryJob) string {
	out := ""
	for _, j := range jobs {
		out += fmt.Sprintf("%s#%d ", j.Event.OrgID[len(j.Event.OrgID)-3:], j.Event.Seq)
	}
	return out
}

func testClaimOrder(t *testing.T, open Opener) {
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, creds := MustApp(t, s, "https://x.example.com/h")
	noHook, _ := MustApp(t, s, "")
	c1, c2 := MustCustomer(t, s, "One"), MustCustomer(t, s, "Two")
	for i := 0; i < 3; i++ {
		MustEmit(t, s, a.ID, c1.ID, shelf.EventAppInstalled, nil)
		MustEmit(t, s, noHook.ID, c1.ID, shelf.EventAppInstalled, nil)
	}
	MustEmit(t, s, a.ID, c2.ID, shelf.EventAppInstalled, nil)
	now := Epoch
	jobs := claim(t, s, "n1", now, 10, 0)
	if len(jobs) != 2 || jobs[0].Event.Seq != 1 || jobs[1].Event.Seq != 1 {
		t.Fatalf("claimed %s; want the head of each stream of the app with an endpoint", seqsOf(jobs))
	}
	j := jobs[0]
	if j.URL != a.WebhookURL || len(j.Secrets) != 1 || j.Secrets[0] != creds.WebhookSecret || j.State != shelf.DeliveryPending {
		t.Fatalf("job = %+v", j)
	}
	if !j.GiveUpAt.Equal(Epoch.Add(shelf.DeliveryWindow)) || j.FirstAttemptAt != nil {
		t.Fatalf("give up %v, first attempt %v", j.GiveUpAt, j.FirstAttemptAt)
	}
	// The head failed and waits for its retry: its stream waits too.
	head := jobs[0]
	if head.Event.OrgID != c1.ID {
		head = jobs[1]
	}
	record(t, s, head, shelf.DeliveryPending, now, now.Add(time.Minute))
	for _, j := range jobs {
		if j.Event.ID != head.Event.ID {
			record(t, s, j, shelf.DeliveryDelivered, now, now)
		}
	}
	if jobs := claim(t, s, "n1", now, 10, 0); len(jobs) != 0 {
		t.Fatalf("claimed %s while the head waits", seqsOf(jobs))
	}
	if at, ok, _ := s.NextDeliveryAt(context.Background()); !ok || !at.Equal(now.Add(time.Minute)) {
		t.Fatalf("next delivery at %v %v", at, ok)
	}
	// Parked: the stream moves on, and the parked event is retried on its own.
	now = now.Add(time.Minute)
	jobs = claim(t, s, "n1", now, 10, 0)
	if len(jobs) != 1 || jobs[0].Event.Seq != 1 || jobs[0].FirstAttemptAt == nil || jobs[0].Attempts != 1 {
		t.Fatalf("claimed %s (%+v)", seqsOf(jobs), jobs)
	}
	record(t, s, jobs[0], shelf.DeliveryParked, now, now.Add(time.Hour))
	jobs = claim(t, s, "n1", now, 10, 0)
	if len(jobs) != 1 || jobs[0].Event.Seq != 2 {
		t.Fatalf("claimed %s, want seq 2 once seq 1 is parked", seqsOf(jobs))
	}
	record(t, s, jobs[0], shelf.DeliveryDelivered, now, now)
	jobs = claim(t, s, "n1", now.Add(time.Hour), 10, 0)
	if got := seqsOf(jobs); len(jobs) != 2 {
		t.Fatalf("claimed %s, want the parked seq 1 and seq 3", got)
	}
}

func testClaimLease(t *testing.T, open Opener) {
	s := open(t, shelf.NewManualClock(Epoch))
	a, _ := MustApp(t, s, "https://x.example.com/h")
	c := MustCustomer(t, s, "One")
	MustEmit(t, s, a.ID, c.ID, shelf.EventAppInstalled, nil)
	now := Epoch
	jobs := claim(t, s, "n1", now, 10, 0)
	if len(jobs) != 1 {
		t.Fatalf("claimed %d", len(jobs))
	}
	if again := claim(t, s, "n2", now.Add(30*time.Second), 10, 0); len(again) != 0 {
		t.Fatal("a leased delivery was claimed twice")
	}
	// n1 died: after the lease n2 takes over, and n1's late answer does not
	// overwrite n2's state.
	taken := claim(t, s, "n2", now.Add(2*time.Minute), 10, 0)
	if len(taken) != 1 || taken[0].LeaseOwner != "n2" {
		t.Fatalf("after the lease: %+v", taken)
	}
	record(t, s, jobs[0], shelf.DeliveryDelivered, now, now)
	if d, _ := s.Deliveries(context.Background(), a.ID, store.DeliveryFilter{}); d[0].State != shelf.DeliveryPending {
		t.Fatalf("a lost lease changed the state to %s", d[0].State)
	}
	record(t, s, taken[0], shelf.DeliveryDelivered, now, now)
	d, _ := s.Deliveries(context.Background(), a.ID, store.DeliveryFilter{})
	if d[0].State != shelf.DeliveryDelivered || d[0].Attempts != 1 {
		t.Fatalf("delivery = %+v", d[0])
	}
	if atts, _ := s.DeliveryAttempts(context.Background(), a.ID, store.AttemptFilter{}); len(atts) != 2 {
		t.Fatalf("attempts logged = %d, want both", len(atts))
	}
}

func testClaimPerApp(t *testing.T, open Opener) {
	s := open(t, shelf.NewManualClock(Epoch))
	busy, _ := MustApp(t, s, "https://slow.example.com/h")
	other, _ := MustApp(t, s, "https://fast.example.com/h")
	for i := 0; i < 5; i++ {
		c := MustCustomer(t, s, fmt.Sprint("C", i))
		MustEmit(t, s, busy.ID, c.ID, shelf.EventAppInstalled, nil)
		MustEmit(t, s, other.ID, c.ID, shelf.EventAppInstalled, nil)
	}
	jobs, err := s.ClaimDeliveries(context.Background(), shelf.DeliveryClaim{Owner: "n1", Now: Epoch.Add(time.Hour), Lease: time.Minute,
		Limit: 4, PerApp: 2, Busy: map[string]int{busy.ID: 1}})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, j := range jobs {
		n[j.Event.AppID]++
	}
	if n[busy.ID] != 1 || n[other.ID] != 2 {
		t.Fatalf("claimed %v: want 1 more for the busy app, 2 for the other", n)
	}
	// A saturated app is left out of the claim entirely, however many of
	// its events are due: the others still get their turn.
	jobs, err = s.ClaimDeliveries(context.Background(), shelf.DeliveryClaim{Owner: "n1", Now: Epoch.Add(time.Hour), Lease: time.Minute,
		Limit: 1, PerApp: 2, Busy: map[string]int{busy.ID: 2}})
	if err != nil || len(jobs) != 1 || jobs[0].Event.AppID != other.ID {
		t.Fatalf("claimed %+v, %v; want one event of the other app", jobs, err)
	}
}

func testVendorEvents(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	a, _ := MustApp(t, s, "")
	c := MustCustomer(t, s, "One")
	for i := 0; i < 5; i++ {
		MustEmit(t, s, a.ID, c.ID, shelf.EventAppInstalled, map[string]int{"n": i})
	}
	page, last, err := s.VendorEvents(ctx, a.ID, c.ID, 2, 2)
	if err != nil || last != 5 || len(page) != 2 || page[0].Seq != 3 || page[1].Seq != 4 || string(page[0].Data) != `{"n":2}` {
		t.Fatalf("page = %+v last %d %v", page, last, err)
	}
	_, _, err = s.VendorEvents(ctx, a.ID, MustCustomer(t, s, "Two").ID, 0, 0)
	WantCode(t, err, "not_found")
	e, err := s.Event(ctx, a.ID, page[0].ID)
	if err != nil || e.Seq != 3 {
		t.Fatalf("Event = %+v %v", e, err)
	}
	ping, err := s.EmitTestPing(ctx, a.ID, "")
	if err != nil || ping.OrgID != a.OrgID || ping.Type != shelf.EventTestPing || ping.Seq != 1 {
		t.Fatalf("test ping = %+v %v", ping, err)
	}
}

func testDeliveryLog(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, _ := MustApp(t, s, "https://x.example.com/h")
	c1, c2 := MustCustomer(t, s, "One"), MustCustomer(t, s, "Two")
	e1 := MustEmit(t, s, a.ID, c1.ID, shelf.EventAppInstalled, nil)
	MustEmit(t, s, a.ID, c2.ID, shelf.EventListingApproved, nil)
	now := Epoch
	jobs := claim(t, s, "n1", now, 10, 0)
	for _, j := range jobs {
		state := shelf.DeliveryDelivered
		if j.Event.ID == e1.ID {
			state = shelf.DeliveryFailed
		}
		record(t, s, j, state, now, now)
	}
	failed, _ := s.Deliveries(ctx, a.ID, store.DeliveryFilter{State: shelf.DeliveryFailed})
	if len(failed) != 1 || failed[0].EventID != e1.ID {
		t.Fatalf("failed = %+v", failed)
	}
	if l, _ := s.Deliveries(ctx, a.ID, store.DeliveryFilter{Type: shelf.EventListingApproved}); len(l) != 1 || l[0].DeliveredAt == nil {
		t.Fatalf("by type = %+v", l)
	}
	no := false
	if l, _ := s.DeliveryAttempts(ctx, a.ID, store.AttemptFilter{OK: &no}); len(l) != 1 || l[0].EventID != e1.ID {
		t.Fatalf("failed attempts = %+v", l)
	}
	counts, _ := s.DeliveryCounts(ctx, a.ID)
	if counts[shelf.DeliveryFailed] != 1 || counts[shelf.DeliveryDelivered] != 1 {
		t.Fatalf("counts = %v", counts)
	}
	stats, _ := s.DeliveryStats(ctx, a.ID, Epoch.Add(-24*time.Hour))
	if len(stats) != 1 || stats[0].Attempts != 2 || stats[0].Succeeded != 1 || stats[0].P95 != time.Millisecond {
		t.Fatalf("stats = %+v", stats)
	}
	// Resend all failed events of the day: parked, due now, fresh window.
	clock.Advance(time.Hour)
	n, err := s.ResendFailed(ctx, a.ID, Epoch, Epoch.Add(24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("ResendFailed = %d, %v", n, err)
	}
	jobs = claim(t, s, "n1", clock.Now(), 10, 0)
	if len(jobs) != 1 || jobs[0].Event.ID != e1.ID || jobs[0].State != shelf.DeliveryParked || !jobs[0].GiveUpAt.Equal(clock.Now().Add(shelf.DeliveryWindow)) {
		t.Fatalf("after resend claimed %+v", jobs)
	}
	record(t, s, jobs[0], shelf.DeliveryDelivered, clock.Now(), clock.Now())
	if err := s.ResendEvent(ctx, a.ID, e1.ID); err != nil {
		t.Fatal(err)
	}
	if jobs = claim(t, s, "n1", clock.Now(), 10, 0); len(jobs) != 1 {
		t.Fatalf("resending a delivered event: claimed %d", len(jobs))
	}
	WantCode(t, s.ResendEvent(ctx, a.ID, "evt_missing"), "not_found")

	// The latest attempts per event, newest first, at most perEvent each,
	// only the app's own.
	latest, err := s.LatestAttempts(ctx, a.ID, []string{e1.ID, "evt_missing"}, 1)
	if err != nil || len(latest) != 1 || len(latest[e1.ID]) != 1 || !latest[e1.ID][0].OK || !latest[e1.ID][0].AttemptedAt.Equal(clock.Now()) {
		t.Fatalf("latest attempt of e1 = %+v, %v; want the delivered one", latest, err)
	}
	if latest, _ = s.LatestAttempts(ctx, a.ID, []string{e1.ID}, 5); len(latest[e1.ID]) != 2 || latest[e1.ID][1].OK {
		t.Fatalf("latest 5 attempts of e1 = %+v; want the delivered one, then the failed one", latest[e1.ID])
	}
	other, _ := MustApp(t, s, "https://y.example.com/h")
	if latest, err = s.LatestAttempts(ctx, other.ID, []string{e1.ID}, 5); err != nil || len(latest) != 0 {
		t.Fatalf("another app sees e1's attempts: %+v, %v", latest, err)
	}
}

// testOnEmit: the store calls its OnEmit hook after each committed
// transaction that emitted, whichever method emitted, and only then.
func testOnEmit(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	var calls atomic.Int64
	s.SetOnEmit(func() { calls.Add(1) })
	a, _ := MustApp(t, s, "https://x.example.com/h")
	if n := calls.Load(); n != 0 {
		t.Fatalf("creating an app woke the dispatcher %d times", n)
	}
	c := MustCustomer(t, s, "One")
	MustEmit(t, s, a.ID, c.ID, shelf.EventTestPing, nil)
	if _, err := s.EmitTestPing(ctx, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("after two emitting transactions: %d calls, want 2", n)
	}
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.Emit(ctx, a.ID, c.ID, shelf.EventTestPing, nil); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil || calls.Load() != 2 {
		t.Fatalf("a rolled-back emit: err %v, %d calls, want 2", err, calls.Load())
	}
}
