package cmd

import (
	"net"
	"strings"
)

// dialHost is the host to reach a listener bound to address.
func dialHost(address string) string {
	if ip := net.ParseIP(address); address == "" || ip != nil && ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return address
}

func isTrue(s string) bool { return s == "1" || strings.EqualFold(s, "true") }
