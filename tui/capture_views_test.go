package tui

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/funcemu/funcemu/emulator"
)

var updateREADME = flag.Bool("readme", false, "rewrite the README's Terminal UI captures from the goldens")

// viewCaptures are the 80x24 screens the README shows, in order.
var viewCaptures = []struct {
	name, title string
	keys        []string
	extra       []emulator.Event
}{
	{name: "functions", title: "1 Functions", keys: []string{"j"}},
	{name: "invocations", title: "2 Invocations", keys: []string{"2"}},
	{name: "invocation-detail", title: "Invocation detail (enter)", keys: []string{"2", "j", "enter"}},
	{name: "logs", title: "3 Logs", keys: []string{"3"}},
	{name: "queues", title: "4 Queues, with a queue peeked (enter)", keys: []string{"4", "enter", "j"}},
	{name: "tables", title: "6 Tables, with a table opened (enter)", keys: []string{"6", "enter", "j"}},
	{name: "build", title: "5 Build, after a failed build", keys: []string{"5"}, extra: failedBuildEvents()},
	{name: "fire-prompt", title: "Fire prompt (x)", keys: []string{"j", "x"}},
	{name: "help", title: "Help (?)", keys: []string{"?"}},
}

func failedBuildEvents() []emulator.Event {
	return []emulator.Event{
		{Time: at(900), Kind: emulator.EventBuildStarted},
		{Time: at(1700), Kind: emulator.EventBuildFinished, Build: &emulator.Build{
			State: emulator.BuildFailed, Start: at(900), Duration: 800 * time.Millisecond,
			Errors: []emulator.CompileError{
				{File: "handler/orders.go", Line: 41, Column: 9, Message: "undefined: customerID"},
				{File: "handler/orders.go", Line: 57, Column: 2, Message: "missing return"},
			}}},
	}
}

func captureController() *fakeController {
	return &fakeController{
		queues: []QueueInfo{{Name: "orders", Depth: 2, PoisonDepth: 1}, {Name: "audit", Depth: 0}},
		messages: map[string][]Message{
			"orders": {
				{ID: "9a1c0d52", Body: `{"order":43}`, InsertionTime: at(2000)},
				{ID: "b77e4f10", Body: `{"order":44}`, InsertionTime: at(2100)},
			},
			"orders-poison": {{ID: "e5d2aa07", Body: `{"order":41}`, DequeueCount: 5, InsertionTime: at(1500)}},
		},
		tables: []TableInfo{{Name: "Customers", Entities: 2}, {Name: "Invoices", Entities: 0}},
		entities: map[string][]Entity{
			"Customers": {
				{PartitionKey: "eu", RowKey: "ada", Timestamp: at(1800), Properties: []Property{
					{Name: "Name", Value: `"Ada Lovelace"`}, {Name: "Orders", Value: "3"}}},
				{PartitionKey: "us", RowKey: "grace", Timestamp: at(1900), Properties: []Property{
					{Name: "Name", Value: `"Grace Hopper"`}, {Name: "Vip", Value: "true"}}},
			},
		},
	}
}

func renderCapture(keys []string, extra []emulator.Event) string {
	m := newTestModel(captureController())
	feed(m, append(scenario(), extra...)...)
	press(m, keys...)
	return capture(m)
}

func TestViewCaptures(t *testing.T) {
	for _, vc := range viewCaptures {
		t.Run(vc.name, func(t *testing.T) {
			golden.RequireEqual(t, []byte(renderCapture(vc.keys, vc.extra)))
		})
	}
}

// TestREADMEShowsViewCaptures keeps the README's screens equal to the
// goldens; run with -readme to rewrite them.
func TestREADMEShowsViewCaptures(t *testing.T) {
	const begin, end = "<!-- tui-captures:begin -->\n", "<!-- tui-captures:end -->"
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(begin)
	for _, vc := range viewCaptures {
		b.WriteString("\n" + vc.title + ":\n\n```text\n" + renderCapture(vc.keys, vc.extra) + "```\n")
	}
	b.WriteString("\n" + end)
	want := b.String()

	text := string(readme)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", strings.TrimSpace(begin), end)
	}
	if *updateREADME {
		text = text[:i] + want + text[j+len(end):]
		if err := os.WriteFile("../README.md", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := text[i : j+len(end)]; got != want {
		t.Fatalf("README.md screens are out of date; run go test ./tui -run README -readme")
	}
}
