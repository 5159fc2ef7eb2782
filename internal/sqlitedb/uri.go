package sqlitedb

import (
	"fmt"
	"path/filepath"
	"strings"
)

// fileURI turns a file path into a SQLite URI path: absolute, with
// forward slashes, and every byte that is not unreserved percent-escaped,
// so '#', '?', '%', spaces and non-ASCII names reach the file system as
// they are (SQLite decodes %HH in URI paths).
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(p); i++ {
		c := p[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String(), nil
}

func unreserved(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~/:", c) >= 0
}
