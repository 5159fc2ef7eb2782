package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pane is the list a list opens below itself: the messages of the queue
// opened in the Queues view, the entities of the table opened in the
// Tables view.
type pane[T any] struct {
	name   string // what is open; "" when closed
	rows   []T
	cursor int
}

func (p *pane[T]) isOpen() bool { return p.name != "" }

// openOn opens name with nothing loaded yet.
func (p *pane[T]) openOn(name string) { p.name, p.rows, p.cursor = name, nil, 0 }

func (p *pane[T]) close() { p.name, p.rows = "", nil }

// key moves the cursor, or closes the pane on esc; it reports whether it
// took k.
func (p *pane[T]) key(c *common, k tea.KeyMsg) bool {
	if c.moveInList(k, &p.cursor, len(p.rows)) {
		return true
	}
	if key.Matches(k, c.keys.Back) {
		p.close()
		return true
	}
	return false
}

// show takes the rows loaded for name if name is still open; a failed
// load goes to the status line.
func (p *pane[T]) show(c *common, name string, rows []T, err error) {
	if err != nil {
		c.setStatus("", err)
		return
	}
	if name == p.name {
		p.rows = rows
		p.cursor = clamp(p.cursor, 0, len(rows)-1)
	}
}

// selected is the row under the cursor; ok is false when there is none.
func (p *pane[T]) selected() (row T, ok bool) {
	if len(p.rows) == 0 {
		return row, false
	}
	return p.rows[clamp(p.cursor, 0, len(p.rows)-1)], true
}
