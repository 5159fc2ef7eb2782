package rest

import (
	"net"
	"testing"
)

func TestReachableAddrNamesLoopbackForAllInterfaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr *net.TCPAddr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 10000}, "127.0.0.1:10000"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 10001}, "127.0.0.1:10001"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 10000}, "127.0.0.1:10000"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 10000}, "[::1]:10000"},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 10000}, "192.0.2.1:10000"},
	}
	for _, tc := range tests {
		if got := reachableAddr(tc.addr); got != tc.want {
			t.Errorf("reachableAddr(%v) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
