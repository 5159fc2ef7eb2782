package tui

import (
	"strings"
	"testing"
)

func TestQueueViewShowsBase64MessagesDecoded(t *testing.T) {
	c := &fakeController{
		queues: []QueueInfo{{Name: "orders", Depth: 2}},
		messages: map[string][]Message{"orders": {
			{ID: "m1", Body: "eyJvcmRlciI6NDJ9", InsertionTime: at(1)}, // base64 of {"order":42}
			{ID: "m2", Body: "plain words", InsertionTime: at(2)},
		}},
	}
	m := newTestModel(c)
	feed(m, scenario()...)
	press(m, "4", "enter")
	view := capture(m)
	if !strings.Contains(view, `(base64) {"order":42}`) {
		t.Errorf("the base64 message is not shown decoded:\n%s", view)
	}
	if !strings.Contains(view, "plain words") || strings.Contains(view, "(base64) plain") {
		t.Errorf("the plain message is not shown as is:\n%s", view)
	}
}
