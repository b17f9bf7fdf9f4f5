package shelf

import (
	"fmt"
	"regexp"
)

// specCodeRE: stable identifiers that travel in orders and events (like
// DingTalk's itemCode), so ASCII only, no spaces.
var specCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// checkSpecs applies the spec rules of docs/listing.md. Every error names
// the spec by index and the field (specs[1].max_users) so both the editor
// and the listing file can point at it.
func checkSpecs(c *checker, specs []Spec, complete bool) {
	if len(specs) == 0 {
		if complete {
			c.add("specs", "specs_required", "at least one spec is required")
		}
		return
	}
	if len(specs) > MaxSpecs {
		c.add("specs", "specs_too_many", "at most %d specs, not %d", MaxSpecs, len(specs))
	}
	codes := map[string]int{}
	free, paid := -1, 0
	currency := ""
	for i, s := range specs {
		f := fieldIndex("specs", i)
		checkSpecCode(c, f, s.Code, i, codes)
		switch {
		case s.Name == "":
			c.add(f+".name", "required", "spec name is required")
		default:
			checkLine(c, f+".name", s.Name, MaxSpecNameRunes, true)
		}
		checkLine(c, f+".name_en", s.NameEn, MaxSpecNameEnRunes, false)
		checkSpecUsers(c, f, s)
		checkSpecPeriod(c, f, s)
		checkSpecPrice(c, f, s)
		switch {
		case s.Currency != "" && !currencyRE.MatchString(s.Currency):
			c.add(f+".currency", "spec_currency_invalid", "currency %q must be a 3-letter uppercase ISO 4217 code such as CNY", s.Currency)
		case !s.Free:
			cur := s.Currency
			if cur == "" {
				cur = DefaultCurrency
			}
			if currency == "" {
				currency = cur
			} else if cur != currency {
				c.add(f+".currency", "spec_currency_mixed", "all specs must use one currency: %s, not %s", currency, cur)
			}
		}
		if s.Free {
			if free >= 0 {
				c.add(f+".free", "spec_free_duplicate", "at most one free spec; specs[%d] is already free", free)
			} else {
				free = i
			}
		} else {
			paid++
		}
	}
	if paid == 0 && complete {
		c.add("specs", "specs_paid_required", "at least one paid spec is required: the pricing rule is per user")
	}
	checkSpecRanges(c, specs)
}

func checkSpecCode(c *checker, f, code string, i int, codes map[string]int) {
	switch {
	case code == "":
		c.add(f+".code", "required", "spec code is required")
	case !specCodeRE.MatchString(code):
		c.add(f+".code", "spec_code_invalid", "spec code %q must be 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit", code)
	default:
		if j, dup := codes[code]; dup {
			c.add(f+".code", "spec_code_duplicate", "spec code %q is already used by specs[%d]", code, j)
			return
		}
		codes[code] = i
	}
}

func checkSpecUsers(c *checker, f string, s Spec) {
	if s.MinUsers < 1 || s.MinUsers > MaxSpecUsers {
		c.add(f+".min_users", "spec_min_users_invalid", "min_users must be 1 to %d, not %d", MaxSpecUsers, s.MinUsers)
	}
	switch {
	case s.MaxUsers == 0 && s.Free:
		c.add(f+".max_users", "spec_free_cap_required", "the free spec needs a user cap (max_users)")
	case s.MaxUsers == 0:
		c.add(f+".max_users", "required", "max_users is required")
	case s.MaxUsers < s.MinUsers:
		c.add(f+".max_users", "spec_range_invalid", "max_users must be ≥ min_users (%d), not %d", s.MinUsers, s.MaxUsers)
	case s.MaxUsers > MaxSpecUsers:
		c.add(f+".max_users", "spec_range_invalid", "max_users must be at most %d, not %d", MaxSpecUsers, s.MaxUsers)
	}
}

func checkSpecPeriod(c *checker, f string, s Spec) {
	switch s.Period {
	case PeriodMonth, PeriodYear:
	case "":
		if !s.Free {
			c.add(f+".period", "required", "period is required: %s or %s", PeriodMonth, PeriodYear)
		}
	default:
		c.add(f+".period", "spec_period_invalid", "period must be %s or %s, not %q", PeriodMonth, PeriodYear, s.Period)
	}
}

func checkSpecPrice(c *checker, f string, s Spec) {
	switch {
	case s.Price < 0 || s.Price > MaxSpecPrice:
		c.add(f+".price", "spec_price_invalid", "price must be 0 to %d minor units, not %d", MaxSpecPrice, s.Price)
	case s.Free && s.Price != 0:
		c.add(f+".price", "spec_free_price_nonzero", "the free spec must have price 0, not %d", s.Price)
	case !s.Free && s.Price == 0:
		c.add(f+".price", "spec_price_zero_not_free", "price must be above 0: price 0 is only for the free spec (free: true)")
	}
}

// checkSpecRanges: within one period, the paid seat ranges come in
// ascending order and do not overlap, so that a seat count picks exactly one
// spec. The free spec is outside: it is what a customer has before paying.
// Specs whose own range is broken were already reported and are skipped.
func checkSpecRanges(c *checker, specs []Spec) {
	last := map[Period]int{} // period → index of the previous spec
	for i, s := range specs {
		if s.Free || (s.Period != PeriodMonth && s.Period != PeriodYear) || !validRange(s) {
			continue
		}
		f := fieldIndex("specs", i) + ".min_users"
		if j := overlapping(specs, i); j >= 0 {
			p := specs[j]
			c.add(f, "spec_range_overlap", "users %s overlap specs[%d] (%s, %s) in the same period", userRange(s), j, p.Code, userRange(p))
		} else if j, ok := last[s.Period]; ok && s.MaxUsers < specs[j].MinUsers {
			c.add(f, "spec_range_not_ascending", "specs of period %s must be in ascending order of users: %s comes after specs[%d] (%s)", s.Period, userRange(s), j, userRange(specs[j]))
		}
		last[s.Period] = i
	}
}

// overlapping returns the index of the first earlier paid spec of the same
// period whose seat range meets specs[i]'s, or -1.
func overlapping(specs []Spec, i int) int {
	s := specs[i]
	for j, p := range specs[:i] {
		if !p.Free && p.Period == s.Period && validRange(p) && s.MinUsers <= p.MaxUsers && s.MaxUsers >= p.MinUsers {
			return j
		}
	}
	return -1
}

func validRange(s Spec) bool {
	return s.MinUsers >= 1 && s.MaxUsers >= s.MinUsers && s.MaxUsers <= MaxSpecUsers
}

func userRange(s Spec) string { return fmt.Sprintf("%d–%d", s.MinUsers, s.MaxUsers) }
