package storage

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func BenchmarkZZSQL(b *testing.B) {
	s := benchTable(b, 10_000)
	ctx := context.Background()
	for _, q := range []string{
		`SELECT pk, rk, ts, props, parent_invocation_id FROM table_entities WHERE account='acct' AND table_key='big' AND pk='p05' ORDER BY pk, rk`,
		`SELECT pk, rk, ts, props, parent_invocation_id FROM table_entities WHERE account='acct' AND table_key='big' AND pk='p05' AND COALESCE((json_extract(props, '$.N[0]') IN ('i','l','d') AND json_extract(props, '$.N[1]') >= 0), 0) ORDER BY pk, rk`,
		`SELECT pk, rk, ts, props, parent_invocation_id FROM table_entities WHERE account='acct' AND table_key='big' AND pk='p05' AND COALESCE((props ->> '$.N[0]' IN ('i','l','d') AND props ->> '$.N[1]' >= 0), 0) ORDER BY pk, rk`,
		`SELECT pk, rk, ts, length(props), parent_invocation_id FROM table_entities WHERE account='acct' AND table_key='big' AND pk='p05' ORDER BY pk, rk`,
	} {
		start := time.Now()
		n := 0
		for i := 0; i < 50; i++ {
			rows, err := s.db.QueryContext(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var a, c, d, e, f string
				rows.Scan(&a, &c, &d, &e, &f)
				n++
			}
			rows.Close()
		}
		fmt.Println(time.Since(start)/50, n/50, q[len(q)-90:])
	}
}
