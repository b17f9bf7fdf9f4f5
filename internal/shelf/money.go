package shelf

import (
	"math/big"
	"strconv"
	"strings"
)

// Money amounts are integers in a currency's minor units (fen for CNY),
// never floats. Arithmetic that divides (proration) is done on exact
// fractions and rounded once, at the end, half up.

// minorDigits lists the currencies whose minor unit is not a hundredth.
var minorDigits = map[string]int{"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}

var currencySymbols = map[string]string{"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}

// CurrencyDigits is the number of decimal digits of a currency's minor unit.
func CurrencyDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// FormatMoney writes an amount in minor units for people: "¥9.00",
// "-¥1,234.50", "CHF 12.00".
func FormatMoney(amount int64, currency string) string {
	neg := amount < 0
	if neg {
		amount = -amount
	}
	digits := CurrencyDigits(currency)
	s := strconv.FormatInt(amount, 10)
	for len(s) <= digits {
		s = "0" + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if sym, ok := currencySymbols[currency]; ok {
		b.WriteString(sym)
	} else {
		b.WriteString(currency + " ")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if digits > 0 {
		b.WriteString("." + frac)
	}
	return b.String()
}

// roundHalfUp rounds an exact amount to whole minor units, halves away
// from zero.
func roundHalfUp(r *big.Rat) int64 {
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	// floor((2·num + den) / (2·den)) rounds a non-negative value half up.
	num.Mul(num, big.NewInt(2)).Add(num, den)
	q := num.Quo(num, new(big.Int).Mul(den, big.NewInt(2)))
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}
