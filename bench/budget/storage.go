package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// storageFigure is one metric of the storage driver's table: Azurite's
// figure and funcemu's.
type storageFigure struct{ azurite, funcemu float64 }

// parseStorageTable reads the Markdown table bench/storage prints with
// -markdown: "| name (unit) | azurite | funcemu | ratio |". Names are
// kept as printed, unit included.
func parseStorageTable(r io.Reader) map[string]storageFigure {
	out := map[string]storageFigure{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 3 {
			continue
		}
		a, errA := strconv.ParseFloat(strings.TrimSpace(cells[1]), 64)
		f, errF := strconv.ParseFloat(strings.TrimSpace(cells[2]), 64)
		if errA != nil || errF != nil {
			continue // the header and the separator
		}
		out[strings.TrimSpace(cells[0])] = storageFigure{azurite: a, funcemu: f}
	}
	return out
}
