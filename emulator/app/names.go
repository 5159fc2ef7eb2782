package app

import (
	"fmt"
	"strings"
)

// checkQueueName applies Azure Storage's queue naming rules (3-63
// characters of a-z, 0-9 and '-', starting and ending with a letter or
// digit, no "--"), which the host checks after lower-casing. Names still
// holding a {binding expression} are checked when they are resolved.
func checkQueueName(name string) error {
	if strings.Contains(name, "{") {
		return nil
	}
	return checkStorageName("queue", name)
}

// checkContainerName applies the same rules to a blob container, allowing
// the special $root, $logs and $web containers.
func checkContainerName(name string) error {
	switch {
	case strings.Contains(name, "{"), name == "$root", name == "$logs", name == "$web":
		return nil
	}
	return checkStorageName("container", name)
}

func checkStorageName(kind, name string) error {
	if len(name) < 3 || len(name) > 63 {
		return fmt.Errorf("%s name %q must be 3 to 63 characters long", kind, name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%s name %q may only hold lower-case letters, digits and '-'", kind, name)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' || strings.Contains(name, "--") {
		return fmt.Errorf("%s name %q must start and end with a letter or digit and cannot hold \"--\"", kind, name)
	}
	return nil
}
