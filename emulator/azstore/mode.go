package azstore

import "fmt"

// Mode is funcemu's --storage choice: which store serves a connection.
type Mode string

const (
	// ModeAuto serves UseDevelopmentStorage=true from the embedded store
	// and every other account remotely. The default.
	ModeAuto Mode = "auto"
	// ModeEmbedded serves every connection from the embedded store, even
	// one naming a real account (offline work against production settings).
	ModeEmbedded Mode = "embedded"
	// ModeRemote sends every connection to the account it names;
	// UseDevelopmentStorage=true then means an Azurite on 127.0.0.1.
	ModeRemote Mode = "remote"
)

// ParseMode reads a --storage value; "" is ModeAuto.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "":
		return ModeAuto, nil
	case ModeAuto, ModeEmbedded, ModeRemote:
		return m, nil
	}
	return "", fmt.Errorf("--storage %q: want auto, embedded or remote", s)
}

// Remote reports whether the account is served remotely in this mode.
func (m Mode) Remote(a *Account) bool {
	switch m {
	case ModeRemote:
		return true
	case ModeEmbedded:
		return false
	}
	return !a.IsDevelopment()
}
