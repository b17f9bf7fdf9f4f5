package shelf

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var quoteSpecs = []Spec{
	{Code: "free", Name: "Free", MinUsers: 1, MaxUsers: 5, Free: true},
	{Code: "team", Name: "Team", MinUsers: 1, MaxUsers: 50, Period: PeriodMonth, Price: 900},
	{Code: "biz", Name: "Business", MinUsers: 51, MaxUsers: 500, Period: PeriodMonth, Price: 800},
	{Code: "team-y", Name: "Team yearly", MinUsers: 1, MaxUsers: 50, Period: PeriodYear, Price: 10000},
	{Code: "odd", Name: "Odd", MinUsers: 1, MaxUsers: 50, Period: PeriodMonth, Price: 15},
}

// paid builds a paid subscription in term at now.
func paid(spec string, users int, price int64, p Period, start, end string, now time.Time) *Subscription {
	s := Subscription{Kind: SubKindPaid, SpecCode: spec, Users: users, UnitPrice: price, Period: p,
		StartsAt: day(start), EndsAt: day(end), AnchorDay: day(start).Day()}
	v := s.At(now)
	return &v
}

func TestComputeQuote(t *testing.T) {
	tests := []struct {
		name   string
		req    OrderRequest
		sub    *Subscription
		now    time.Time
		test   bool
		amount int64
		lines  []int64
		ends   string
		effect string
		remain string // the first line's time
	}{
		{name: "buy a year of months", now: day("2027-01-15"), req: OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 25, Periods: 12},
			amount: 25 * 900 * 12, lines: []int64{270000}, ends: "2028-01-15", effect: "2027-01-15"},
		{name: "buy on the 31st ends on February's last day", now: day("2027-01-31"), req: OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 1, Periods: 1},
			amount: 900, ends: "2027-02-28", effect: "2027-01-31"},
		{name: "buy on the 31st in a leap year", now: day("2028-01-31"), req: OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 1, Periods: 1},
			amount: 900, ends: "2028-02-29", effect: "2028-01-31"},
		{name: "a year from 29 February", now: day("2028-02-29"), req: OrderRequest{Type: OrderBuy, SpecCode: "team-y", Users: 3, Periods: 1},
			amount: 30000, ends: "2029-02-28", effect: "2028-02-29"},
		{name: "buy after a trial", now: day("2027-03-01"), req: OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 10, Periods: 3},
			sub:    &Subscription{Kind: SubKindTrial, Users: 5, EndsAt: day("2027-03-10"), Status: SubTrial},
			amount: 27000, ends: "2027-06-01", effect: "2027-03-01"},
		{name: "renew keeps the anchor: 28 February to 31 March", now: day("2027-02-20"),
			req:    OrderRequest{Type: OrderRenew, SpecCode: "team", Users: 10, Periods: 1},
			sub:    paid("team", 10, 900, PeriodMonth, "2027-01-31", "2027-02-28", day("2027-02-20")),
			amount: 9000, ends: "2027-03-31", effect: "2027-02-20"},
		{name: "renew of an ended term starts now", now: day("2027-05-10"),
			req:    OrderRequest{Type: OrderRenew, SpecCode: "team", Users: 10, Periods: 2},
			sub:    paid("team", 10, 900, PeriodMonth, "2027-01-31", "2027-02-28", day("2027-05-10")),
			amount: 18000, ends: "2027-07-10", effect: "2027-05-10"},
		{name: "upgrade users for a month and a half", now: day("2027-02-15"),
			req: OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 25},
			sub: paid("team", 10, 900, PeriodMonth, "2027-01-01", "2027-04-01", day("2027-02-15")),
			// 1 month + 14/28 days: 25×9×1.5 − 10×9×1.5
			amount: 33750 - 13500, lines: []int64{33750, -13500}, ends: "2027-04-01", effect: "2027-02-15", remain: "1 month + 14/28 d"},
		{name: "upgrade rounds once, half up", now: day("2027-02-15"),
			req: OrderRequest{Type: OrderUpgrade, SpecCode: "odd", Users: 11},
			sub: paid("odd", 10, 15, PeriodMonth, "2027-01-01", "2027-04-01", day("2027-02-15")),
			// 11×15×1.5 − 10×15×1.5 = 247.5 − 225 = 22.5
			amount: 23, lines: []int64{248, -225}, ends: "2027-04-01", effect: "2027-02-15"},
		{name: "upgrade in a leap February", now: day("2028-02-15"),
			req: OrderRequest{Type: OrderUpgrade, SpecCode: "odd", Users: 11},
			sub: paid("odd", 10, 15, PeriodMonth, "2028-01-01", "2028-03-01", day("2028-02-15")),
			// 0 months + 15/29 days of February 2028: 15 × 15/29 = 7.758…
			amount: 8, ends: "2028-03-01", effect: "2028-02-15", remain: "0 month + 15/29 d"},
		{name: "upgrade into a larger spec", now: day("2027-02-15"),
			req: OrderRequest{Type: OrderUpgrade, SpecCode: "biz", Users: 60},
			sub: paid("team", 50, 900, PeriodMonth, "2027-01-01", "2027-04-01", day("2027-02-15")),
			// 60×8×1.5 − 50×9×1.5 = 720 − 675 = 45.00
			amount: 4500, ends: "2027-04-01", effect: "2027-02-15"},
		{name: "yearly to monthly mid-term", now: day("2027-07-01"),
			req: OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 20},
			sub: paid("team-y", 10, 10000, PeriodYear, "2027-01-01", "2028-01-01", day("2027-07-01")),
			// 20×9×6 months − 10×100×184/365 of a year = 1080 − 504.1096 = 575.8904
			amount: 57589, lines: []int64{108000, -50411}, ends: "2028-01-01", effect: "2027-07-01"},
		{name: "renew and upgrade", now: day("2027-02-15"),
			req:    OrderRequest{Type: OrderRenewUpgrade, SpecCode: "team", Users: 25, Periods: 12},
			sub:    paid("team", 10, 900, PeriodMonth, "2027-01-01", "2027-04-01", day("2027-02-15")),
			amount: 33750 - 13500 + 25*900*12, lines: []int64{33750, -13500, 270000}, ends: "2028-04-01", effect: "2027-02-15"},
		{name: "downgrade at renewal, no refund", now: day("2027-02-15"),
			req:    OrderRequest{Type: OrderRenewDegrade, SpecCode: "team", Users: 5, Periods: 6},
			sub:    paid("team", 10, 900, PeriodMonth, "2027-01-31", "2027-04-30", day("2027-02-15")),
			amount: 5 * 900 * 6, ends: "2027-10-31", effect: "2027-04-30"},
		{name: "a test org is never charged", now: day("2027-01-15"), test: true,
			req:    OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 25, Periods: 12},
			amount: 0, lines: []int64{270000}, ends: "2028-01-15", effect: "2027-01-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ComputeQuote(QuoteInput{Request: tt.req, Specs: quoteSpecs, Sub: tt.sub, Now: tt.now, TestOrg: tt.test})
			if err != nil {
				t.Fatalf("ComputeQuote: %v", err)
			}
			if q.Amount != tt.amount {
				t.Errorf("amount = %d, want %d (lines %+v)", q.Amount, tt.amount, q.Lines)
			}
			if tt.test && (q.ListAmount == 0 || !q.Test) {
				t.Errorf("test order: list amount %d, test %v", q.ListAmount, q.Test)
			}
			for i, want := range tt.lines {
				if i >= len(q.Lines) || q.Lines[i].Amount != want {
					t.Errorf("line %d = %+v, want amount %d", i, q.Lines, want)
				}
			}
			if got := q.EndsAt.Format(time.DateOnly); got != tt.ends {
				t.Errorf("ends = %s, want %s", got, tt.ends)
			}
			if got := q.EffectiveAt.Format(time.DateOnly); got != tt.effect {
				t.Errorf("effective = %s, want %s", got, tt.effect)
			}
			if tt.remain != "" && q.Lines[0].Time.String() != tt.remain {
				t.Errorf("remaining = %s, want %s", q.Lines[0].Time, tt.remain)
			}
		})
	}
}

func TestComputeQuoteRefusals(t *testing.T) {
	now := day("2027-02-15")
	active := paid("team", 10, 900, PeriodMonth, "2027-01-01", "2027-04-01", now)
	expired := paid("team", 10, 900, PeriodMonth, "2026-01-01", "2026-04-01", now)
	pending := *active
	pending.Next = &TermChange{SpecCode: "team", Users: 5, StartsAt: active.EndsAt}
	tests := []struct {
		name  string
		req   OrderRequest
		sub   *Subscription
		kind  Kind
		code  string
		field string
	}{
		{"unknown type", OrderRequest{Type: "GIFT", SpecCode: "team", Users: 1, Periods: 1}, nil, KindInvalid, "order_type_invalid", "type"},
		{"unknown spec", OrderRequest{Type: OrderBuy, SpecCode: "gold", Users: 1, Periods: 1}, nil, KindInvalid, "spec_unknown", "spec_code"},
		{"free spec", OrderRequest{Type: OrderBuy, SpecCode: "free", Users: 1, Periods: 1}, nil, KindInvalid, "spec_free_not_for_sale", "spec_code"},
		{"users below range", OrderRequest{Type: OrderBuy, SpecCode: "biz", Users: 50, Periods: 1}, nil, KindInvalid, "users_out_of_range", "users"},
		{"users above range", OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 51, Periods: 1}, nil, KindInvalid, "users_out_of_range", "users"},
		{"no periods", OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 1, Periods: 0}, nil, KindInvalid, "periods_out_of_range", "periods"},
		{"37 months", OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 1, Periods: 37}, nil, KindInvalid, "periods_out_of_range", "periods"},
		{"6 years", OrderRequest{Type: OrderBuy, SpecCode: "team-y", Users: 1, Periods: 6}, nil, KindInvalid, "periods_out_of_range", "periods"},
		{"upgrade with periods", OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 20, Periods: 1}, active, KindInvalid, "periods_not_applicable", "periods"},
		{"buy while paid", OrderRequest{Type: OrderBuy, SpecCode: "team", Users: 1, Periods: 1}, active, KindConflict, "subscription_active", ""},
		{"upgrade an expired one", OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 20}, expired, KindConflict, "subscription_not_active", ""},
		{"upgrade nothing", OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 20}, nil, KindConflict, "subscription_not_active", ""},
		{"upgrade to fewer users", OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 5}, active, KindInvalid, "not_an_upgrade", "users"},
		{"upgrade to the same", OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 10}, active, KindInvalid, "not_an_upgrade", "users"},
		{"renew with other users", OrderRequest{Type: OrderRenew, SpecCode: "team", Users: 12, Periods: 1}, active, KindInvalid, "renew_changes_terms", "spec_code"},
		{"renew nothing", OrderRequest{Type: OrderRenew, SpecCode: "team", Users: 12, Periods: 1}, nil, KindConflict, "no_subscription_to_renew", ""},
		{"renew while a change waits", OrderRequest{Type: OrderRenew, SpecCode: "team", Users: 10, Periods: 1}, &pending, KindConflict, "change_pending", ""},
		{"downgrade to more users", OrderRequest{Type: OrderRenewDegrade, SpecCode: "team", Users: 20, Periods: 1}, active, KindInvalid, "not_a_downgrade", "users"},
		{"downgrade an expired one", OrderRequest{Type: OrderRenewDegrade, SpecCode: "team", Users: 5, Periods: 1}, expired, KindConflict, "subscription_not_active", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ComputeQuote(QuoteInput{Request: tt.req, Specs: quoteSpecs, Sub: tt.sub, Now: now})
			e, ok := AsError(err)
			if !ok {
				t.Fatalf("err = %v, want a *shelf.Error %s", err, tt.code)
			}
			if e.Kind != tt.kind || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("err = %s/%s/%s (%v), want %s/%s/%s", e.Kind, e.Code, e.Field, e, tt.kind, tt.code, tt.field)
			}
		})
	}
}

func TestAddPeriods(t *testing.T) {
	tests := []struct {
		from   string
		p      Period
		n      int
		anchor int
		want   string
	}{
		{"2027-01-31", PeriodMonth, 1, 31, "2027-02-28"},
		{"2027-02-28", PeriodMonth, 1, 31, "2027-03-31"},
		{"2027-02-28", PeriodMonth, 1, 28, "2027-03-28"},
		{"2028-01-30", PeriodMonth, 1, 30, "2028-02-29"},
		{"2027-12-15", PeriodMonth, 1, 15, "2028-01-15"},
		{"2027-01-31", PeriodMonth, -2, 31, "2026-11-30"},
		{"2028-02-29", PeriodYear, 1, 29, "2029-02-28"},
		{"2029-02-28", PeriodYear, 3, 29, "2032-02-29"},
		{"2027-05-31", PeriodMonth, 36, 31, "2030-05-31"},
	}
	for _, tt := range tests {
		if got := AddPeriods(day(tt.from), tt.p, tt.n, tt.anchor).Format(time.DateOnly); got != tt.want {
			t.Errorf("AddPeriods(%s, %s, %d, %d) = %s, want %s", tt.from, tt.p, tt.n, tt.anchor, got, tt.want)
		}
	}
}

func TestRemainingAt(t *testing.T) {
	tests := []struct {
		now, end string
		p        Period
		anchor   int
		want     string
	}{
		{"2027-02-15", "2027-04-01", PeriodMonth, 1, "1 month + 14/28 d"},
		{"2027-03-01", "2027-04-01", PeriodMonth, 1, "1 month + 0/0 d"},
		{"2027-04-01", "2027-04-01", PeriodMonth, 1, "0 month + 0/0 d"},
		{"2027-05-01", "2027-04-01", PeriodMonth, 1, "0 month + 0/0 d"},
		{"2027-03-15", "2027-03-31", PeriodMonth, 31, "0 month + 16/31 d"},
		{"2027-07-01", "2028-01-01", PeriodYear, 1, "0 year + 184/365 d"},
		{"2028-01-01", "2029-01-01", PeriodYear, 1, "1 year + 0/0 d"},
	}
	for _, tt := range tests {
		if got := RemainingAt(day(tt.now), day(tt.end), tt.p, tt.anchor).String(); got != tt.want {
			t.Errorf("RemainingAt(%s, %s, %s) = %s, want %s", tt.now, tt.end, tt.p, got, tt.want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		amount   int64
		currency string
		want     string
	}{
		{900, "CNY", "¥9.00"}, {123456789, "CNY", "¥1,234,567.89"}, {-5, "USD", "-$0.05"}, {1500, "JPY", "¥1,500"}, {1200, "CHF", "CHF 12.00"},
	}
	for _, tt := range tests {
		if got := FormatMoney(tt.amount, tt.currency); got != tt.want {
			t.Errorf("FormatMoney(%d, %s) = %q, want %q", tt.amount, tt.currency, got, tt.want)
		}
	}
}

func TestDescribeQuote(t *testing.T) {
	now := day("2027-02-15")
	q, err := ComputeQuote(QuoteInput{Request: OrderRequest{Type: OrderUpgrade, SpecCode: "team", Users: 25}, Specs: quoteSpecs,
		Sub: paid("team", 10, 900, PeriodMonth, "2027-01-01", "2027-04-01", now), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	en := DescribeQuote(q, LangEn)
	want := []string{
		"25 users × ¥9.00/month × 1 month and 14 of 28 days (team, 2027-02-15 to 2027-04-01): ¥337.50",
		"− credit for the unused 1 month and 14 of 28 days of 10 users × ¥9.00/month (team): ¥135.00",
		"Total ¥202.50 (rounded once, half up)",
	}
	if strings.Join(en, "\n") != strings.Join(want, "\n") {
		t.Errorf("en =\n%s\nwant\n%s", strings.Join(en, "\n"), strings.Join(want, "\n"))
	}
	zh := DescribeQuote(q, LangZH)
	if zh[0] != "25 人 × ¥9.00/月 × 1 个月又 14/28 天（team，2027-02-15 至 2027-04-01）：¥337.50" || zh[2] != "合计 ¥202.50（最后一次四舍五入）" {
		t.Errorf("zh = %q", zh)
	}
	if got := DecimalAmount(-123456, "CNY"); got != "-1234.56" {
		t.Errorf("DecimalAmount = %s", got)
	}
}
