package emulator

import "testing"

func TestBusDeliversToEverySubscriber(t *testing.T) {
	b := NewBus()
	a, cancelA := b.Subscribe(4)
	c, cancelC := b.Subscribe(4)
	defer cancelA()
	defer cancelC()

	b.Publish(Event{Kind: EventReady})

	for _, ch := range []<-chan Event{a, c} {
		if e := <-ch; e.Kind != EventReady {
			t.Fatalf("got %q, want %q", e.Kind, EventReady)
		}
	}
}

func TestBusDropsForFullSubscriberWithoutBlocking(t *testing.T) {
	b := NewBus()
	ch, cancel := b.Subscribe(1)
	defer cancel()

	b.Publish(Event{Kind: EventLog})
	b.Publish(Event{Kind: EventLog}) // buffer full: dropped, not blocked

	if got := b.Dropped(); got != 1 {
		t.Fatalf("Dropped() = %d, want 1", got)
	}
	if len(ch) != 1 {
		t.Fatalf("buffered %d events, want 1", len(ch))
	}
}

func TestBusCancelClosesChannelOnce(t *testing.T) {
	b := NewBus()
	ch, cancel := b.Subscribe(1)
	cancel()
	cancel()
	if _, ok := <-ch; ok {
		t.Fatal("channel still open after cancel")
	}
	b.Publish(Event{Kind: EventLog}) // no subscriber left: must not panic
}

func TestFunctionTriggerAndDirections(t *testing.T) {
	f := &Function{Bindings: []*Binding{
		{Type: "httpTrigger", Direction: "in", Name: "req"},
		{Type: "http", Direction: "out", Name: "res"},
		{Type: "blob", Direction: "inout", Name: "b"},
	}}
	if tr := f.Trigger(); tr == nil || tr.Kind() != BindingHTTPTrigger {
		t.Fatalf("Trigger() = %+v", tr)
	}
	if n := len(f.Inputs()); n != 2 {
		t.Fatalf("Inputs() has %d bindings, want 2", n)
	}
	if n := len(f.Outputs()); n != 2 {
		t.Fatalf("Outputs() has %d bindings, want 2", n)
	}
}
