package journal

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func withExchange(e emulator.Event, request, response string) emulator.Event {
	x := emulator.NewExchange("POST /"+e.Invocation.Function, []byte(request))
	x.SetResponse(200, []byte(response))
	e.Invocation.Exchange = x
	return e
}

func TestExchangeIsKeptWithItsInvocation(t *testing.T) {
	t.Parallel()
	j := openMemory(t, Options{})
	envelope := `{"Data":{"msg":"\"hello\""},"Metadata":{"sys":{"MethodName":"Work"}}}`
	record(t, j, started("inv-1", "Work", at(1)),
		withExchange(finished("inv-1", "Work", at(1), at(2), ""), envelope, `{"Outputs":{},"Logs":["hi"]}`))
	rec, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	x := rec.Exchange
	if x == nil || x.Path != "POST /Work" || string(x.Request) != envelope || x.Status != 200 || string(x.Response) != `{"Outputs":{},"Logs":["hi"]}` {
		t.Fatalf("exchange = %+v", x)
	}
	if kept, counted := totals(t, j); kept != counted {
		t.Fatalf("totals %v, tables hold %v", kept, counted)
	}
}

func TestExchangeIsCappedAndPrunedWithItsInvocation(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", emulator.ExchangeLimit+10)
	x := emulator.NewExchange("POST /Big", []byte(big))
	if len(x.Request) != emulator.ExchangeLimit || !x.RequestTruncated {
		t.Fatalf("request kept %d bytes, truncated %v", len(x.Request), x.RequestTruncated)
	}
	j := openMemory(t, Options{MaxInvocations: 2})
	for i := range 5 {
		id := fmt.Sprintf("inv-%d", i)
		record(t, j, withExchange(finished(id, "Hello", at(i), at(i+1), ""), id+" request", id+" response"))
	}
	var n int
	if err := j.db.QueryRow(`SELECT count(*) FROM exchanges`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d exchanges kept, want the 2 of the kept invocations", n)
	}
	if kept, counted := totals(t, j); kept != counted {
		t.Fatalf("totals %v, tables hold %v", kept, counted)
	}
	rec, err := j.Get(context.Background(), "inv-4")
	if err != nil || rec.Exchange == nil || !bytes.Equal(rec.Exchange.Response, []byte("inv-4 response")) {
		t.Fatalf("newest exchange: %+v, %v", rec, err)
	}
}
