//go:build !linux

package cmd

// findPortHolder is not implemented outside Linux: the message then names
// only the port.
func findPortHolder(int) (portHolder, bool) { return portHolder{}, false }
