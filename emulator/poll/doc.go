// Package poll holds what trigger listeners need when a store cannot notify
// them (its Watch returns a nil channel, as a remote account's does): the
// queue listener's randomized exponential backoff, the blob trigger's
// periodic container scan with its persisted cursor, and a reporter that
// logs a failure once, then sparingly, while the listener keeps retrying.
//
// Everything here follows the Azure Functions host (Storage extension v5),
// so an app polls a real account the way it would on Azure.
package poll
