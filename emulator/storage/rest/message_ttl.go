package rest

import "time"

// maxMessageTTL bounds what a time.Duration can hold with room for the
// insertion time: Azure takes any positive messagettl, and a TTL of
// centuries is "never" in practice; it must not overflow into the past
// and expire the message at once.
const maxMessageTTL = 200 * 365 * 24 * time.Hour

// messageTTL turns messagettl seconds into the store's TTL: -1 is never,
// and anything beyond maxMessageTTL is capped to it.
func messageTTL(seconds int64) time.Duration {
	if seconds < 0 {
		return -1 // the store's "never"
	}
	if seconds > int64(maxMessageTTL/time.Second) {
		return maxMessageTTL
	}
	return time.Duration(seconds) * time.Second
}
