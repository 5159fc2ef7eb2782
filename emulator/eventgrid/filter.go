package eventgrid

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Filter is an event subscription's filter as Event Grid defines it. All
// its parts must match.
type Filter struct {
	// IncludedEventTypes lists the event types delivered; empty (or
	// ["All"]) means every type. Compared case-insensitively.
	IncludedEventTypes []string `json:"includedEventTypes,omitempty"`
	// SubjectBeginsWith and SubjectEndsWith are literal prefix and suffix,
	// case-insensitive unless IsSubjectCaseSensitive.
	SubjectBeginsWith      string `json:"subjectBeginsWith,omitempty"`
	SubjectEndsWith        string `json:"subjectEndsWith,omitempty"`
	IsSubjectCaseSensitive bool   `json:"isSubjectCaseSensitive,omitempty"`
	// EnableAdvancedFilteringOnArrays lets advanced filters match any
	// element of an array value; otherwise arrays never match.
	EnableAdvancedFilteringOnArrays bool             `json:"enableAdvancedFilteringOnArrays,omitempty"`
	AdvancedFilters                 []AdvancedFilter `json:"advancedFilters,omitempty"`
}

// AdvancedFilter is one advanced filter: an operator on the value at Key.
type AdvancedFilter struct {
	OperatorType string `json:"operatorType"`
	Key          string `json:"key"`
	// Value is the single operand of NumberGreaterThan(OrEquals),
	// NumberLessThan(OrEquals) and BoolEquals.
	Value json.RawMessage `json:"value,omitempty"`
	// Values are the operands of the other operators; for the range
	// operators each is a [low, high] pair.
	Values []json.RawMessage `json:"values,omitempty"`
}

// operators lists each advanced filter operator with the operand it takes.
var operators = map[string]string{
	"NumberGreaterThan": "value", "NumberGreaterThanOrEquals": "value",
	"NumberLessThan": "value", "NumberLessThanOrEquals": "value",
	"NumberIn": "numbers", "NumberNotIn": "numbers",
	"NumberInRange": "ranges", "NumberNotInRange": "ranges",
	"BoolEquals":     "bool",
	"StringContains": "strings", "StringNotContains": "strings",
	"StringBeginsWith": "strings", "StringNotBeginsWith": "strings",
	"StringEndsWith": "strings", "StringNotEndsWith": "strings",
	"StringIn": "strings", "StringNotIn": "strings",
	"IsNullOrUndefined": "none", "IsNotNull": "none",
}

// Matches reports whether e passes the filter.
func (f *Filter) Matches(e Event) bool {
	if f == nil {
		return true
	}
	if !f.typeIncluded(e.Type()) {
		return false
	}
	subject := e.Subject()
	begins, ends := f.SubjectBeginsWith, f.SubjectEndsWith
	if !f.IsSubjectCaseSensitive {
		subject, begins, ends = strings.ToLower(subject), strings.ToLower(begins), strings.ToLower(ends)
	}
	if !strings.HasPrefix(subject, begins) || !strings.HasSuffix(subject, ends) {
		return false
	}
	for _, af := range f.AdvancedFilters {
		if !af.matches(e, f.EnableAdvancedFilteringOnArrays) {
			return false
		}
	}
	return true
}

func (f *Filter) typeIncluded(t string) bool {
	if len(f.IncludedEventTypes) == 0 {
		return true
	}
	for _, it := range f.IncludedEventTypes {
		if strings.EqualFold(it, t) || strings.EqualFold(it, "All") {
			return true
		}
	}
	return false
}

// negated operators match when no operand matches, and when the key is
// missing.
func negated(op string) bool { return strings.Contains(op, "Not") && op != "IsNotNull" }

func (af AdvancedFilter) matches(e Event, arrays bool) bool {
	v, found := e.lookup(af.Key)
	switch af.OperatorType {
	case "IsNullOrUndefined":
		return !found || v == nil
	case "IsNotNull":
		return found && v != nil
	}
	if !found || v == nil {
		return negated(af.OperatorType)
	}
	if list, isArray := v.([]any); isArray {
		if !arrays {
			return negated(af.OperatorType)
		}
		for _, item := range list {
			if af.matchValue(item) {
				return true
			}
		}
		return false
	}
	return af.matchValue(v)
}

// matchValue applies the operator to one value.
func (af AdvancedFilter) matchValue(v any) bool {
	op := af.OperatorType
	switch operators[op] {
	case "value":
		x, ok := number(v)
		var limit float64
		if !ok || json.Unmarshal(af.Value, &limit) != nil {
			return false
		}
		switch op {
		case "NumberGreaterThan":
			return x > limit
		case "NumberGreaterThanOrEquals":
			return x >= limit
		case "NumberLessThan":
			return x < limit
		default:
			return x <= limit
		}
	case "bool":
		b, ok := v.(bool)
		var want bool
		return ok && json.Unmarshal(af.Value, &want) == nil && b == want
	case "numbers":
		x, ok := number(v)
		in := false
		for _, raw := range af.Values {
			var n float64
			if ok && json.Unmarshal(raw, &n) == nil && n == x {
				in = true
			}
		}
		if op == "NumberNotIn" {
			return ok && !in
		}
		return in
	case "ranges":
		x, ok := number(v)
		in := false
		for _, raw := range af.Values {
			var r [2]float64
			if ok && json.Unmarshal(raw, &r) == nil && x >= r[0] && x <= r[1] {
				in = true
			}
		}
		if op == "NumberNotInRange" {
			return ok && !in
		}
		return in
	case "strings":
		s := strings.ToLower(stringOf(v))
		hit := false
		for _, raw := range af.Values {
			var want string
			if json.Unmarshal(raw, &want) != nil {
				continue
			}
			want = strings.ToLower(want)
			switch strings.Replace(op, "Not", "", 1) {
			case "StringContains":
				hit = hit || strings.Contains(s, want)
			case "StringBeginsWith":
				hit = hit || strings.HasPrefix(s, want)
			case "StringEndsWith":
				hit = hit || strings.HasSuffix(s, want)
			case "StringIn":
				hit = hit || s == want
			}
		}
		if negated(op) {
			return !hit
		}
		return hit
	}
	return false
}

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

func stringOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// validate checks the filter; field prefixes the field named in errors.
func (f *Filter) validate(field string) error {
	for i, af := range f.AdvancedFilters {
		at := fmt.Sprintf("%s.advancedFilters[%d]", field, i)
		kind, ok := operators[af.OperatorType]
		if !ok {
			return fmt.Errorf("%s.operatorType: %q is not an Event Grid operator (NumberIn, StringContains, BoolEquals, IsNotNull, ...)", at, af.OperatorType)
		}
		if strings.TrimSpace(af.Key) == "" {
			return fmt.Errorf("%s.key: required", at)
		}
		if strings.Count(af.Key, ".") > 2 {
			return fmt.Errorf("%s.key: %q is nested more than two levels below data", at, af.Key)
		}
		switch kind {
		case "value", "bool":
			var probe any
			if len(af.Value) == 0 || json.Unmarshal(af.Value, &probe) != nil {
				return fmt.Errorf("%s.value: required for %s", at, af.OperatorType)
			}
			if _, isBool := probe.(bool); kind == "bool" && !isBool {
				return fmt.Errorf("%s.value: must be true or false for BoolEquals", at)
			}
			if _, isNum := probe.(float64); kind == "value" && !isNum {
				return fmt.Errorf("%s.value: must be a number for %s", at, af.OperatorType)
			}
		case "numbers", "strings", "ranges":
			if len(af.Values) == 0 {
				return fmt.Errorf("%s.values: at least one value is required for %s", at, af.OperatorType)
			}
			for j, raw := range af.Values {
				var err error
				switch kind {
				case "numbers":
					var n float64
					err = json.Unmarshal(raw, &n)
				case "strings":
					var s string
					err = json.Unmarshal(raw, &s)
				default:
					var r [2]float64
					err = json.Unmarshal(raw, &r)
				}
				if err != nil {
					return fmt.Errorf("%s.values[%d]: %s is not a valid operand for %s", at, j, raw, af.OperatorType)
				}
			}
		}
	}
	return nil
}
