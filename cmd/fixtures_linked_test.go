package cmd

import "github.com/funcemu/funcemu/internal/fixturebuild"

// linkedFixture builds the handler of the fixture source in dir into out,
// relinking only when its sources or the toolchain changed.
func linkedFixture(dir, out string) error { return fixturebuild.Linked(dir, out) }
