package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/host"
)

func TestStartControllerAnswersWhatItCannotDo(t *testing.T) {
	ctx := context.Background()
	c := &startController{ctx: ctx}
	if err := c.Invoke(ctx, "hello", ""); err == nil || !strings.Contains(err.Error(), "still starting") {
		t.Fatalf("Invoke before start = %v", err)
	}
	a := &emulator.App{Functions: []*emulator.Function{{Name: "hello"}}}
	c.attach(host.New(host.Options{App: a}), nil, "http://localhost:7071")
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"unknown function", func() error { return c.Invoke(ctx, "nope", "") }, `no function named "nope"`},
		{"replay", func() error { return c.Replay(ctx, "id") }, "journal"},
		{"rebuild without go.mod", func() error { return c.Rebuild(ctx) }, "nothing to rebuild"},
		{"queues", func() error { _, err := c.Queues(ctx); return err }, "storage emulator"},
		{"peek", func() error { _, err := c.PeekMessages(ctx, "q", 1); return err }, "storage emulator"},
		{"requeue", func() error { return c.RequeuePoison(ctx, "q", "m") }, "storage emulator"},
	}
	for _, tc := range tests {
		if err := tc.call(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}
