package route

import "testing"

func TestConstraints(t *testing.T) {
	tests := []struct {
		constraint string
		match      []string
		reject     []string
	}{
		{"int", []string{"0", "-123", "+7", " 42 ", "2147483647", "-2147483648"},
			[]string{"", "abc", "1.5", "2147483648", "1e3", "--1", "0x10", "1 2"}},
		{"long", []string{"9223372036854775807", "-9223372036854775808", "12"},
			[]string{"9223372036854775808", "1.0", "x"}},
		{"bool", []string{"true", "False", "TRUE", " true "},
			[]string{"yes", "1", "0", "t", ""}},
		{"guid", []string{
			"d071b70c-a812-4b54-87d2-7769528e2814",
			"D071B70CA8124B5487D27769528E2814",
			"{d071b70c-a812-4b54-87d2-7769528e2814}",
			"(d071b70c-a812-4b54-87d2-7769528e2814)",
			"{0xd071b70c,0xa812,0x4b54,{0x87,0xd2,0x77,0x69,0x52,0x8e,0x28,0x14}}",
		}, []string{"d071b70c-a812-4b54-87d2-7769528e281", "d071b70c-a812-4b54-87d2-7769528e2814x",
			"{d071b70c-a812-4b54-87d2-7769528e2814)", "zz71b70ca8124b5487d27769528e2814"}},
		{"datetime", []string{"2024-05-01", "2024-05-01T13:45:07Z", "2024-05-01T13:45:07.123+02:00",
			"2024-05-01 13:45", "5/1/2024", "05/01/2024 13:45:07", "May 1, 2024", "1 May 2024", "13:45"},
			[]string{"yesterday", "2024-13-01", "2024-02-30", "42", ""}},
		{"decimal", []string{"29.99", "52", "-1.01", "1,000.5", " 3 ", "5-", ".5", "79228162514264337593543950335"},
			[]string{"1e3", "abc", "1.2.3", "79228162514264337593543950336", "-", ".", ",1", "+5-"}},
		{"double", []string{"1.5", "-1e10", "1E+3", "1,000.25", "Infinity", "-infinity", "NaN", "1e400", ".5"},
			[]string{"1e", "abc", "0x10", "1.2.3", "e5", "", "inf"}},
		{"float", []string{"3.14", "1e39", "-0"},
			[]string{"pi", "1..0"}},
		{"alpha", []string{"abc", "ABCdef"},
			[]string{"abc1", "é", "a-b"}},
		{"min(10)", []string{"10", "11", "9999999999"},
			[]string{"9", "-10", "x", "10.5"}},
		{"max(10)", []string{"10", "-5"},
			[]string{"11", "x"}},
		{"range(1,3)", []string{"1", "2", "3"},
			[]string{"0", "4", "two"}},
		{"length(3)", []string{"abc", "1.5", "日本語"},
			[]string{"ab", "abcd"}},
		{"length(2,4)", []string{"ab", "abcd"},
			[]string{"a", "abcde"}},
		{"length(2)", []string{"😀"}, // one rune, two UTF-16 code units
			[]string{"a"}},
		{"minlength(2)", []string{"ab", "abcdef"},
			[]string{"a"}},
		{"maxlength(2)", []string{"a", "ab"},
			[]string{"abc"}},
		{"regex(^[a-z]{{2}}$)", []string{"ab", "AB"},
			[]string{"abc", "a1"}},
		{"regex([a-z]{{2}})", []string{"hello", "12ab34"}, // not anchored, as in ASP.NET Core
			[]string{"a1b2"}},
		{"regex(^(list|get|create)$)", []string{"list", "Create"},
			[]string{"delete", "listing"}},
	}
	for _, tt := range tests {
		tpl, err := Parse("x/{v:" + tt.constraint + "}")
		if err != nil {
			t.Fatalf("constraint %s: %v", tt.constraint, err)
		}
		for _, v := range tt.match {
			if _, ok := tpl.Match("/x/" + escapePathSegment(v)); !ok {
				t.Errorf("%s should match %q", tt.constraint, v)
			}
		}
		for _, v := range tt.reject {
			if v == "" {
				continue // an empty segment never reaches a constraint
			}
			if _, ok := tpl.Match("/x/" + escapePathSegment(v)); ok {
				t.Errorf("%s should reject %q", tt.constraint, v)
			}
		}
	}
}

func TestConstraintFunctionsRejectEmpty(t *testing.T) {
	for name, f := range typeConstraints {
		if name == "alpha" {
			if !f("") {
				t.Errorf("alpha should accept \"\" (^[a-z]*$)")
			}
			continue
		}
		if f("") {
			t.Errorf("%s accepts the empty string", name)
		}
	}
}

func escapePathSegment(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' || c == '%' || c == ' ' || c == '?' || c == '#' {
			b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}
