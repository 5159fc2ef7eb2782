package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// firePrompt asks for the input of a manual invocation. It starts in
// review mode, where single keys act (enter fire, e editor, i type, esc
// cancel); in typing mode keys go to the input line.
type firePrompt struct {
	function string
	input    textinput.Model
	typing   bool
}

func (m *model) promptKey(k tea.KeyMsg) tea.Cmd {
	p := m.prompt
	switch {
	case k.Type == tea.KeyEnter:
		payload := p.input.Value()
		m.payloads[p.function] = payload
		m.prompt = nil
		return invokeCmd(m.ctx, m.ctrl, p.function, payload)
	case k.Type == tea.KeyEsc && p.typing:
		p.typing = false
		p.input.Blur()
		return nil
	case k.Type == tea.KeyEsc:
		m.prompt = nil
		return nil
	case p.typing:
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(k)
		return cmd
	case key.Matches(k, m.keys.Edit):
		return editPayloadCmd(m.opts.Editor, p.function, p.input.Value())
	case key.Matches(k, m.keys.Inline):
		p.typing = true
		return p.input.Focus()
	}
	return nil
}

// applyEditor puts the edited payload back into the prompt.
func (m *model) applyEditor(msg editorDoneMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("", msg.err)
		return nil
	}
	if m.prompt != nil && m.prompt.function == msg.function {
		m.prompt.input.SetValue(msg.payload)
	}
	m.payloads[msg.function] = msg.payload
	return nil
}

// promptView renders the prompt box lines for the body's bottom.
func (m *model) promptView(width int) []string {
	p := m.prompt
	hint := "enter fire · e edit in $EDITOR · i type inline · esc cancel"
	if p.typing {
		hint = "enter fire · esc stop typing"
	}
	p.input.Width = max(10, width-len(p.input.Prompt)-4)
	value := p.input.View()
	if !p.typing {
		v := p.input.Value()
		if v == "" {
			v = "(empty)"
		}
		value = p.input.Prompt + strings.ReplaceAll(v, "\n", "⏎")
	}
	return []string{
		styles.header.Render(fit("Fire Functions."+p.function, width)),
		fit(value, width),
		styles.dim.Render(fit(hint, width)),
	}
}
