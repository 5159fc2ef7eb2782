package tui

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/funcemu/funcemu/emulator"
)

// statusBarView is the line above the footer: app, URLs, build, counts.
// When the full form does not fit, a compact one, and then one naming the
// storage services by their initials, keep every part visible down to 80
// columns.
func (m *model) statusBarView(w int) string {
	line := m.statusText(false, false)
	if ansi.StringWidth(line) > w {
		line = m.statusText(true, false)
	}
	if ansi.StringWidth(line) > w {
		line = m.statusText(true, true)
	}
	return styles.statusBar.Render(fit(line, w))
}

func (m *model) statusText(compact, initials bool) string {
	name := m.appName()
	if compact {
		name = ansi.Truncate(name, 14, "…")
	}
	parts := []string{name}
	if ep := m.st.endpoints; ep != nil {
		http := displayBaseURL(ep.HTTP)
		if compact {
			http = strings.TrimPrefix(strings.TrimPrefix(http, "http://"), "https://")
		}
		parts = append(parts, http)
		if s := storageText(ep, initials); s != "" {
			parts = append(parts, s)
		}
	}
	parts = append(parts, m.buildText())
	counts := fmt.Sprintf("%d running · %d failed", len(m.st.running), m.st.failed)
	if compact {
		counts = fmt.Sprintf("▶%d ✗%d", len(m.st.running), m.st.failed)
	}
	if m.st.dropped > 0 {
		counts += fmt.Sprintf(" · %d dropped", m.st.dropped)
	}
	parts = append(parts, counts)
	return " " + strings.Join(parts, " │ ")
}

func (m *model) appName() string {
	if m.st.app == nil || m.st.app.Dir == "" {
		return "funcemu"
	}
	return filepath.Base(m.st.app.Dir)
}

// buildText is the build state, with the spinner while building.
func (m *model) buildText() string {
	b := m.st.build
	switch {
	case b == nil:
		return "no build"
	case b.State == emulator.BuildRunning:
		return m.spinner.View() + " building"
	case b.State == emulator.BuildFailed:
		return "build failed"
	}
	return fmt.Sprintf("built %.1fs", b.Duration.Seconds())
}

// storageText shortens the storage endpoints to
// "blob :10000 queue :10001 table :10002" when they are on this machine,
// or "b:10000 q:10001 t:10002" with initials.
func storageText(ep *emulator.Endpoints, initials bool) string {
	var parts []string
	for _, svc := range []struct{ name, raw string }{{"blob", ep.Blob}, {"queue", ep.Queue}, {"table", ep.Table}} {
		if svc.raw == "" {
			continue
		}
		host := svc.raw
		if u, err := url.Parse(svc.raw); err == nil && u.Host != "" {
			host = u.Host
			switch u.Hostname() {
			case "127.0.0.1", "localhost", "0.0.0.0", "::1":
				host = ":" + u.Port()
			}
		}
		switch {
		case initials && strings.HasPrefix(host, ":"):
			parts = append(parts, svc.name[:1]+host)
		case initials:
			parts = append(parts, svc.name[:1]+" "+host)
		default:
			parts = append(parts, svc.name+" "+host)
		}
	}
	return strings.Join(parts, " ")
}
