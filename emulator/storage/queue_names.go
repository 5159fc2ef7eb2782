package storage

import (
	"fmt"
	"strings"
)

// ValidateQueueName applies Azure's rules: 3-63 characters, lowercase
// letters, digits and single hyphens, starting and ending with a letter or
// digit.
func ValidateQueueName(name string) error {
	if len(name) < 3 || len(name) > 63 {
		// Azure words a length error apart from a character error.
		return ErrNameLength.with("queue name %q: 3 to 63 characters", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("queue name %q may contain only lowercase letters, digits and hyphens: %w", name, ErrInvalidName)
		}
	}
	if name[0] == '-' || name[len(name)-1] == '-' || strings.Contains(name, "--") {
		return fmt.Errorf("queue name %q must start and end with a letter or digit and not contain \"--\": %w", name, ErrInvalidName)
	}
	return nil
}

// ValidateMetadataName checks that a metadata key is a C# identifier, as
// Azure requires.
func ValidateMetadataName(name string) error {
	if name == "" {
		return fmt.Errorf("metadata name is empty: %w", ErrInvalidInput)
	}
	for i, c := range name {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && !(i > 0 && c >= '0' && c <= '9') {
			return fmt.Errorf("metadata name %q is not a valid C# identifier: %w", name, ErrInvalidInput)
		}
	}
	return nil
}
