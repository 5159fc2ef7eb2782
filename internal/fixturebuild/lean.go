package fixturebuild

import (
	"os"
	"strings"
)

// leanLinkFlag leaves the symbol table and DWARF out of executables: a
// link writes a fifth less, and no test reads a handler's debug info
// (stack traces use the pclntab, which stays).
const leanLinkFlag = "'-ldflags=-s -w'"

// LeanLinks makes every go build this process and its children start
// (fixtures, the builds funcemu runs on file saves) link without debug
// info, through GOFLAGS. A GOFLAGS that already sets -ldflags is kept as
// it is. Call it from TestMain before m.Run.
func LeanLinks() {
	flags := os.Getenv("GOFLAGS")
	if strings.Contains(flags, "-ldflags") {
		return
	}
	os.Setenv("GOFLAGS", strings.TrimSpace(flags+" "+leanLinkFlag))
}
