// Command funcemu runs Azure Functions custom-handler apps locally.
package main

import (
	"os"

	"github.com/funcemu/funcemu/cmd"
)

func main() { os.Exit(cmd.Main()) }
