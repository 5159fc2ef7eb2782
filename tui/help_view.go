package tui

// helpView lists every key, in two columns when one does not fit.
func (m *model) helpView(w, h int) []string {
	var entries []string
	for _, group := range m.keys.helpGroups() {
		for _, b := range group {
			entries = append(entries, "  "+fit(b.Help().Key, 10)+" "+b.Help().Desc)
		}
	}
	lines := []string{styles.header.Render(fit("Keys (? or esc to close)", w)), ""}
	if len(entries)+2 <= h {
		for _, e := range entries {
			lines = append(lines, fit(e, w))
		}
		return lines
	}
	half := (len(entries) + 1) / 2
	colW := w / 2
	for i := 0; i < half; i++ {
		right := ""
		if half+i < len(entries) {
			right = entries[half+i]
		}
		lines = append(lines, fit(entries[i], colW)+fit(right, w-colW))
	}
	return lines
}
