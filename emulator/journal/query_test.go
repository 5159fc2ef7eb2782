package journal

import (
	"context"
	"reflect"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// history is four invocations: Hello twice (one failed), Echo once still
// running, and Worker triggered by the first Hello.
func history(t *testing.T, j *Journal) {
	t.Helper()
	child := finished("c-worker", "Worker", at(15), at(16), "")
	child.Invocation.Trigger, child.Invocation.ParentID = emulator.TriggerQueue, "a-hello"
	record(t, j,
		finished("a-hello", "Hello", at(10), at(11), ""),
		child,
		finished("b-hello", "Hello", at(20), at(21), "boom"),
		started("d-echo", "Echo", at(30)),
	)
}

func TestListFilters(t *testing.T) {
	j := openMemory(t, Options{})
	history(t, j)
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all, newest first", Filter{}, []string{"d-echo", "b-hello", "c-worker", "a-hello"}},
		{"function ignores case", Filter{Function: "hello"}, []string{"b-hello", "a-hello"}},
		{"status failed", Filter{Status: emulator.StatusFailed}, []string{"b-hello"}},
		{"status running", Filter{Status: emulator.StatusRunning}, []string{"d-echo"}},
		{"since is inclusive", Filter{Since: at(15)}, []string{"d-echo", "b-hello", "c-worker"}},
		{"until is exclusive", Filter{Until: at(15)}, []string{"a-hello"}},
		{"window", Filter{Since: at(11), Until: at(30)}, []string{"b-hello", "c-worker"}},
		{"limit keeps the newest", Filter{Limit: 2}, []string{"d-echo", "b-hello"}},
		{"combined", Filter{Function: "Hello", Status: emulator.StatusSucceeded, Limit: 5}, []string{"a-hello"}},
		{"id", Filter{ID: "c-worker"}, []string{"c-worker"}},
		{"no match", Filter{Function: "Nope"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := j.List(context.Background(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got); !reflect.DeepEqual(g, tt.want) {
				t.Fatalf("List(%+v) = %v, want %v", tt.f, g, tt.want)
			}
			for _, inv := range got {
				if inv.Input != nil || inv.Outputs != nil {
					t.Fatalf("List returned payloads for %s", inv.ID)
				}
			}
		})
	}
}

func TestGetReturnsChildrenAndParent(t *testing.T) {
	j := openMemory(t, Options{})
	history(t, j)
	parent, err := j.Get(context.Background(), "a-hello")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(parent.Children); !reflect.DeepEqual(got, []string{"c-worker"}) {
		t.Fatalf("children of a-hello = %v, want [c-worker]", got)
	}
	child, err := j.Get(context.Background(), "c-worker")
	if err != nil {
		t.Fatal(err)
	}
	if child.ParentID != "a-hello" || child.Trigger != emulator.TriggerQueue || len(child.Children) != 0 {
		t.Fatalf("c-worker: parent %q trigger %q children %v", child.ParentID, child.Trigger, ids(child.Children))
	}
}

func TestGetResolvesIDs(t *testing.T) {
	j := openMemory(t, Options{})
	history(t, j)
	record(t, j, finished("a-hello-2", "Hello", at(40), at(41), ""))
	tests := []struct {
		id       string
		want     string
		wantCode string
	}{
		{"b-hello", "b-hello", ""},
		{"b-", "b-hello", ""},
		{"a-hello", "a-hello", ""}, // exact match wins over a longer id sharing it
		{"a-", "", emulator.EINVALID},
		{"zzz", "", emulator.ENOTFOUND},
		{"", "", emulator.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := j.Get(context.Background(), tt.id)
			if code := emulator.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("Get(%q) error %v, want code %q", tt.id, err, tt.wantCode)
			}
			if err == nil && got.ID != tt.want {
				t.Fatalf("Get(%q) = %s, want %s", tt.id, got.ID, tt.want)
			}
		})
	}
}
