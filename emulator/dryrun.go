package emulator

import "context"

type dryRunKey struct{}

// WithDryRun marks ctx so that output bindings are resolved and recorded
// but not written to storage: funcemu replay --dry-run.
func WithDryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

// IsDryRun reports whether ctx was marked by WithDryRun.
func IsDryRun(ctx context.Context) bool {
	v, _ := ctx.Value(dryRunKey{}).(bool)
	return v
}
