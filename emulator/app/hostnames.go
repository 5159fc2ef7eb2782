package app

// The host's name rules, checked by hand: as regular expressions their
// {0,127} repetitions compile to hundreds of states, which cost ~2 ms of
// every funcemu start in package init.

// isFunctionName is the host's FunctionNameValidationRegex,
// (?i)^[a-z][a-z0-9_\-]{0,127}$.
func isFunctionName(s string) bool {
	if len(s) == 0 || len(s) > 128 || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isASCIILetter(c) && !isASCIIDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// isBindingName is the host's BindingNameValidationRegex,
// ^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$.
func isBindingName(s string) bool {
	if s == "$return" {
		return true
	}
	if len(s) == 0 || len(s) > 128 || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isASCIILetter(c) && !isASCIIDigit(c) {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }
