package lifeline

import (
	"errors"
	"strconv"
	"strings"
)

// Spec is the handler a supervisor started ahead of need is to run.
type Spec struct {
	Path string   // the executable
	Args []string // argv, the executable's name first
	Env  []string
	Dir  string // "" for the supervisor's own
}

// Encode is s as NUL-separated fields: path, dir, the number of
// arguments, the arguments, then the environment.
func (s Spec) Encode() []byte {
	fields := append([]string{s.Path, s.Dir, strconv.Itoa(len(s.Args))}, s.Args...)
	return []byte(strings.Join(append(fields, s.Env...), "\x00"))
}

func decodeSpec(b []byte) (Spec, error) {
	f := strings.Split(string(b), "\x00")
	if len(f) < 3 {
		return Spec{}, errors.New("short handler spec")
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n < 0 || 3+n > len(f) {
		return Spec{}, errors.New("bad handler spec")
	}
	s := Spec{Path: f[0], Dir: f[1], Args: f[3 : 3+n]}
	if rest := f[3+n:]; len(rest) > 0 {
		s.Env = rest
	}
	return s, nil
}
