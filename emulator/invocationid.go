package emulator

import "context"

type invocationIDKey struct{}

// WithInvocationID asks the host to give the first attempt of the
// invocation run under ctx the id id, chosen by the caller so it can name
// the invocation before it ends (funcemu invoke). Retries get new ids.
func WithInvocationID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, invocationIDKey{}, id)
}

// InvocationIDFrom is the id set by WithInvocationID, or "".
func InvocationIDFrom(ctx context.Context) string {
	v, _ := ctx.Value(invocationIDKey{}).(string)
	return v
}
