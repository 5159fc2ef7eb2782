// Package bindings moves data between an invocation and storage: it maps a
// binding's connection to a storage account, builds the binding data that
// {expressions} read from a trigger's input, writes queue and blob output
// bindings after an invocation and reads blob input bindings before one.
package bindings
