package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// BenchmarkSalesDashboard reads a partner's sales dashboard (a year of
// the two years of orders) at 10,000 and at 1,000,000 orders, beside the
// same year's figures aggregated from the raw orders: the baseline. The
// orders are generated with one bulk INSERT … SELECT, the daily figures
// derived from them as the payments' transactions would have kept them.
//
//	go test -run '^$' -bench SalesDashboard -benchtime 5x -timeout 60m ./internal/store/
func BenchmarkSalesDashboard(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		for _, n := range []int{10_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%d", backend, n), func(b *testing.B) {
				dsn := storetest.DSN(b, backend)
				s := storetest.OpenDSN(b, dsn, shelf.NewManualClock(benchStart.AddDate(2, 0, 0)))
				sh := storetest.NewShop(b, s, nil)
				raw := benchOrders(b, s, dsn, sh, n)
				q := shelf.SalesQuery{PartnerID: sh.Listing.OrgID, From: benchStart.AddDate(1, 0, 0), To: benchStart.AddDate(2, 0, -1),
					Now: benchStart.AddDate(2, 0, 0)}
				ctx := context.Background()
				d, err := s.SalesDashboard(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if gross, _ := rawSales(b, raw, sh.Listing.OrgID, q); gross != d.Total.Gross {
					b.Fatalf("raw gross %d, dashboard %d", gross, d.Total.Gross)
				}
				// A dashboard is quick and the machine shared: each op reads it
				// 20 times, reported per dashboard.
				b.Run("dashboard", func(b *testing.B) {
					for b.Loop() {
						for range 20 {
							if _, err := s.SalesDashboard(ctx, q); err != nil {
								b.Fatal(err)
							}
						}
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(20*b.N), "ns/dashboard")
				})
				b.Run("raw", func(b *testing.B) {
					for b.Loop() {
						rawSales(b, raw, sh.Listing.OrgID, q)
					}
				})
			})
		}
	}
}

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

const dayMicros = int64(24 * time.Hour / time.Microsecond)

// benchOrders writes n orders of the shop's listing by 50 orgs over two
// years from benchStart (a twentieth refunded a day later) and the daily
// figures they make, and returns a plain handle on the database.
func benchOrders(b *testing.B, s *store.Store, dsn string, sh *storetest.Shop, n int) *sql.DB {
	b.Helper()
	ctx := context.Background()
	orgs := make([]string, 50)
	for i := range orgs {
		orgs[i] = storetest.MustOrg(b, s, fmt.Sprint("Buyer ", i), shelf.OrgCustomer, sh.Admin).ID
	}
	start := benchStart.UnixMicro()
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE bench_orgs (n INTEGER PRIMARY KEY, id TEXT NOT NULL)`); err != nil {
			return err
		}
		for i, id := range orgs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO bench_orgs (n, id) VALUES ($1, $2)`, i, id); err != nil {
				return err
			}
		}
		// Spread over 730 days and the day's seconds; amounts of 1–50 users at ¥9.00.
		_, err := tx.ExecContext(ctx, `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1)
			INSERT INTO orders (id, org_id, app_id, listing_id, type, spec_code, users, periods, state, amount, currency, test, computation,
				created_by, created_at, paid_at, fulfilled_at, refunded_at)
			SELECT 'bo' || CAST(i AS TEXT), g.id, $2, $3,
				CASE i % 3 WHEN 0 THEN 'BUY' WHEN 1 THEN 'RENEW' ELSE 'UPGRADE' END, 'std-month', 1 + i % 50, 1,
				CASE WHEN i % 20 = 0 THEN 'refunded' ELSE 'fulfilled' END, 900 * (1 + i % 50), 'CNY', FALSE, '{}', 'bench',
				CAST($4 AS BIGINT) + (i % 730) * CAST($5 AS BIGINT) + CAST(i % 86400 AS BIGINT) * 1000000, CAST($4 AS BIGINT) + (i % 730) * CAST($5 AS BIGINT) + CAST(i % 86400 AS BIGINT) * 1000000,
				CAST($4 AS BIGINT) + (i % 730) * CAST($5 AS BIGINT) + CAST(i % 86400 AS BIGINT) * 1000000,
				CASE WHEN i % 20 = 0 THEN CAST($4 AS BIGINT) + (i % 730 + 1) * CAST($5 AS BIGINT) + CAST(i % 86400 AS BIGINT) * 1000000 END
			FROM seq JOIN bench_orgs g ON g.n = i % 50`, n, sh.App.ID, sh.Listing.ID, start, dayMicros)
		return err
	})
	if err != nil {
		b.Fatalf("generate orders: %v", err)
	}
	raw := openRaw(b, s, dsn)
	// The daily figures, as the payments' and refunds' transactions keep them.
	type key struct {
		day int64
		typ string
	}
	paid, refunded := map[key][2]int64{}, map[key][2]int64{}
	months := map[[2]string]bool{}
	for _, c := range []struct {
		col string
		m   map[key][2]int64
	}{{"paid_at", paid}, {"refunded_at", refunded}} {
		rows, err := raw.QueryContext(ctx, `SELECT `+c.col+` / $1, type, org_id, COUNT(*), SUM(amount) FROM orders
			WHERE `+c.col+` IS NOT NULL AND created_by = 'bench' GROUP BY `+c.col+` / $1, type, org_id`, dayMicros)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var k key
			var org string
			var cnt, sum int64
			if err := rows.Scan(&k.day, &k.typ, &org, &cnt, &sum); err != nil {
				b.Fatal(err)
			}
			v := c.m[k]
			c.m[k] = [2]int64{v[0] + cnt, v[1] + sum}
			if c.col == "paid_at" {
				months[[2]string{shelf.MonthOf(time.UnixMicro(k.day * dayMicros)), org}] = true
			}
		}
		rows.Close()
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		for k, v := range paid {
			r := refunded[k]
			if _, err := tx.ExecContext(ctx, `INSERT INTO sales_daily (partner_org_id, day, listing_id, currency, order_type, orders, gross,
				refunds, refunded, commission) VALUES ($1, $2, $3, 'CNY', $4, $5, $6, $7, $8, $9)`, sh.Listing.OrgID,
				time.UnixMicro(k.day*dayMicros).UTC().Format(time.DateOnly), sh.Listing.ID, k.typ, v[0], v[1], r[0], r[1], (v[1]-r[1])/5); err != nil {
				return err
			}
		}
		for m := range months {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sales_org_months (partner_org_id, month, listing_id, currency, org_id)
				VALUES ($1, $2, $3, 'CNY', $4)`, sh.Listing.OrgID, m[0], sh.Listing.ID, m[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("daily figures: %v", err)
	}
	// A fresh database has the statistics of empty tables.
	if _, err := raw.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return raw
}

// openRaw opens the database directly, for the baseline.
func openRaw(b *testing.B, s *store.Store, dsn string) *sql.DB {
	b.Helper()
	driver := "sqlite"
	if s.Dialect() == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// rawSales aggregates the range's figures from the orders themselves:
// paid and refunded by day and type, the paying orgs and the top
// listings, as the dashboard reads them from the daily figures.
func rawSales(b *testing.B, db *sql.DB, partner string, q shelf.SalesQuery) (gross int64, orgs int) {
	b.Helper()
	ctx := context.Background()
	from, to := q.From.UnixMicro(), q.To.AddDate(0, 0, 1).UnixMicro()
	byMonth := map[string]int64{}
	for _, col := range []string{"paid_at", "refunded_at"} {
		rows, err := db.QueryContext(ctx, `SELECT o.`+col+` / $4, o.type, COUNT(*), SUM(o.amount) FROM orders o JOIN listings l ON l.id = o.listing_id
			WHERE l.org_id = $1 AND o.`+col+` >= $2 AND o.`+col+` < $3 AND NOT o.test GROUP BY o.`+col+` / $4, o.type`, partner, from, to, dayMicros)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var day, cnt, sum int64
			var typ string
			if err := rows.Scan(&day, &typ, &cnt, &sum); err != nil {
				b.Fatal(err)
			}
			if col == "paid_at" {
				gross += sum
				byMonth[shelf.MonthOf(time.UnixMicro(day*dayMicros))] += sum
			}
		}
		rows.Close()
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT o.org_id) FROM orders o JOIN listings l ON l.id = o.listing_id
		WHERE l.org_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 AND NOT o.test`, partner, from, to).Scan(&orgs); err != nil {
		b.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT o.listing_id, COUNT(*), SUM(o.amount) FROM orders o JOIN listings l ON l.id = o.listing_id
		WHERE l.org_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 AND NOT o.test GROUP BY o.listing_id ORDER BY 3 DESC LIMIT 5`, partner, from, to)
	if err != nil {
		b.Fatal(err)
	}
	rows.Close()
	return gross, orgs
}
