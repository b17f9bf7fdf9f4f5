package shelf

import (
	"testing"
	"time"
)

func TestSubscriptionAt(t *testing.T) {
	start, end := day("2027-01-01"), day("2027-02-01")
	over := day("2027-01-10")
	cancelled := day("2027-01-05")
	trial := Subscription{Kind: SubKindTrial, SpecCode: "trial", Users: 5, StartsAt: start, EndsAt: end, TrialUsed: true}
	trialFree := trial
	trialFree.FreeSpec, trialFree.FreeUsers = "free", 3
	term := Subscription{Kind: SubKindPaid, SpecCode: "team", Users: 10, UnitPrice: 900, Period: PeriodMonth, StartsAt: start, EndsAt: end, AnchorDay: 1}
	overTerm := term
	overTerm.OverLimitSince = &over
	cancelledTerm := term
	cancelledTerm.CancelledAt = &cancelled
	degrade := term
	degrade.AssignedSeats = 8
	degrade.Next = &TermChange{SpecCode: "team", Users: 5, UnitPrice: 900, Period: PeriodMonth, StartsAt: end, EndsAt: day("2027-03-01")}
	tests := []struct {
		name   string
		sub    Subscription
		at     string
		status SubStatus
		spec   string
		users  int
		usable bool
	}{
		{"trial running", trial, "2027-01-31", SubTrial, "trial", 5, true},
		{"trial ends at its end", trial, "2027-02-01", SubTrialExpired, "trial", 5, false},
		{"free_then_paid falls back to the free spec", trialFree, "2027-02-02", SubFree, "free", 3, true},
		{"paid in term", term, "2027-01-20", SubActive, "team", 10, true},
		{"paid term over", term, "2027-02-01", SubExpired, "team", 10, false},
		{"over the limit", overTerm, "2027-01-20", SubOverLimit, "team", 10, true},
		{"cancelled", cancelledTerm, "2027-01-20", SubCancelled, "team", 10, false},
		{"downgrade waits for the term's end", degrade, "2027-01-31", SubActive, "team", 10, true},
		{"downgrade applies at the term's end; 8 seats over 5", degrade, "2027-02-01", SubOverLimit, "team", 5, true},
		{"the downgraded term ends too", degrade, "2027-03-01", SubExpired, "team", 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.sub.At(day(tt.at))
			if v.Status != tt.status || v.SpecCode != tt.spec || v.Users != tt.users || v.Usable() != tt.usable {
				t.Errorf("At(%s) = %s %s %d usable %v, want %s %s %d %v", tt.at, v.Status, v.SpecCode, v.Users, v.Usable(), tt.status, tt.spec, tt.users, tt.usable)
			}
		})
	}
}

func TestGraceOver(t *testing.T) {
	since := day("2027-01-10")
	s := Subscription{OverLimitSince: &since}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{{since.Add(OverLimitGrace - time.Second), false}, {since.Add(OverLimitGrace), true}} {
		if got := s.GraceOver(tt.at); got != tt.want {
			t.Errorf("GraceOver(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	if (&Subscription{}).GraceOver(since) {
		t.Error("GraceOver without an over-limit moment = true")
	}
}

func TestLicenseEntitlement(t *testing.T) {
	now := day("2027-01-20")
	longAgo := now.Add(-OverLimitGrace - time.Hour)
	recent := now.Add(-time.Hour)
	term := Subscription{Kind: SubKindPaid, SpecCode: "team", Users: 2, StartsAt: day("2027-01-01"), EndsAt: day("2027-02-01")}
	graceOver, inGrace, expired, trial := term, term, term, term
	graceOver.OverLimitSince, inGrace.OverLimitSince = &longAgo, &recent
	expired.EndsAt = day("2027-01-10")
	trial.Kind = SubKindTrial
	holders := []string{"usr_a", "usr_b", "usr_c"}
	tests := []struct {
		name string
		sub  *Subscription
		user string
		want EntitlementStatus
	}{
		{"never subscribed", nil, "usr_a", EntNoActiveLicense},
		{"seat holder", &term, "usr_a", EntValid},
		{"no seat", &term, "usr_z", EntNotInScope},
		{"third seat of two, in grace", &inGrace, "usr_c", EntValid},
		{"third seat of two, grace over", &graceOver, "usr_c", EntExceedsLimit},
		{"second seat of two, grace over", &graceOver, "usr_b", EntValid},
		{"term over", &expired, "usr_a", EntNoActiveLicense},
		{"trial", &trial, "usr_a", EntValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewLicense(tt.sub, holders).Entitlement(tt.user, now)
			if got.Status != tt.want {
				t.Errorf("status = %s, want %s", got.Status, tt.want)
			}
			if tt.sub != nil && (got.Spec != tt.sub.SpecCode || got.EndsAt == nil || got.Trial != (tt.sub.Kind == SubKindTrial)) {
				t.Errorf("entitlement = %+v, want spec %s, an end, trial %v", got, tt.sub.SpecCode, tt.sub.Kind == SubKindTrial)
			}
		})
	}
}
