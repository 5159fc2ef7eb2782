package app

import (
	"github.com/funcemu/funcemu/emulator"
)

// Retry strategies as written in host.json and function.json.
const (
	StrategyFixedDelay         = "fixedDelay"
	StrategyExponentialBackoff = "exponentialBackoff"
)

// decodeRetry reads the retry section at prefix ("retry"), validated as
// the host does at load: maxRetryCount is required (-1 = forever),
// fixedDelay needs delayInterval, exponentialBackoff needs both intervals
// with minimumInterval <= maximumInterval. nil when the section is absent.
func decodeRetry(f fields, prefix string) (*emulator.RetryPolicy, error) {
	if !f.t.has(prefix) {
		return nil, nil
	}
	strategy, err := f.oneOf(prefix+".strategy", "", StrategyFixedDelay, StrategyExponentialBackoff)
	if err != nil {
		return nil, err
	}
	if strategy == "" {
		return nil, invalid(f.file, prefix+".strategy", "required: fixedDelay or exponentialBackoff")
	}
	if v, ok := f.str(prefix + ".maxRetryCount"); !ok || v == "" {
		return nil, invalid(f.file, prefix+".maxRetryCount", "required (-1 retries forever)")
	}
	count, err := f.integer(prefix+".maxRetryCount", 0, -1, maxInt)
	if err != nil {
		return nil, err
	}
	p := &emulator.RetryPolicy{Strategy: strategy, MaxRetryCount: count}
	required := func(field string) (bool, error) {
		if v, ok := f.str(field); !ok || v == "" {
			return false, invalid(f.file, field, "required for the %s strategy (hh:mm:ss)", strategy)
		}
		return true, nil
	}
	switch strategy {
	case StrategyFixedDelay:
		if _, err := required(prefix + ".delayInterval"); err != nil {
			return nil, err
		}
		if p.DelayInterval, err = f.duration(prefix+".delayInterval", 0, 0); err != nil {
			return nil, err
		}
	case StrategyExponentialBackoff:
		for _, field := range []string{prefix + ".minimumInterval", prefix + ".maximumInterval"} {
			if _, err := required(field); err != nil {
				return nil, err
			}
		}
		if p.MinimumInterval, err = f.duration(prefix+".minimumInterval", 0, 0); err != nil {
			return nil, err
		}
		if p.MaximumInterval, err = f.duration(prefix+".maximumInterval", 0, 0); err != nil {
			return nil, err
		}
		if p.MaximumInterval < p.MinimumInterval {
			l, _ := f.t.get(prefix + ".maximumInterval")
			return nil, f.fail(prefix+".maximumInterval", l, "%s is shorter than minimumInterval %s",
				formatTimeSpan(p.MaximumInterval), formatTimeSpan(p.MinimumInterval))
		}
	}
	return p, nil
}
