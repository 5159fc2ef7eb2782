// Package lifeline is the handler's supervisor on Linux: funcemu's own
// executable started again with Env set, which starts the handler, stays
// its parent (a child subreaper, so the handler's orphans stay in its tree)
// and kills the whole tree when funcemu dies, however it dies. Importing
// the package is what makes an executable able to act as the supervisor;
// package worker starts it. Elsewhere the package is empty.
package lifeline
