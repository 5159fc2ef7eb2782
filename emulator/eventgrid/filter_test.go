package eventgrid

import (
	"encoding/json"
	"testing"
)

func mustEvent(t *testing.T, s string) Event {
	t.Helper()
	e, err := ParseEvent([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestFilters(t *testing.T) {
	t.Parallel()
	eg := `{"id":"1","subject":"/blobServices/default/containers/Photos/blobs/a.PNG","eventType":"Microsoft.Storage.BlobCreated",
		"data":{"contentLength":10,"api":"PutBlob","tags":["a","b"],"ok":true,"nested":{"x":"Hello"}},"dataVersion":""}`
	ce := `{"id":"2","source":"/topics/orders","type":"Orders.Created","subject":"orders/7","specversion":"1.0","data":{"qty":3}}`
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	tests := []struct {
		name  string
		event string
		f     Filter
		want  bool
	}{
		{"no filter", eg, Filter{}, true},
		{"type included any case", eg, Filter{IncludedEventTypes: []string{"microsoft.storage.blobcreated"}}, true},
		{"type excluded", eg, Filter{IncludedEventTypes: []string{"Microsoft.Storage.BlobDeleted"}}, false},
		{"All", eg, Filter{IncludedEventTypes: []string{"All"}}, true},
		{"subject prefix ignores case", eg, Filter{SubjectBeginsWith: "/blobservices/default/containers/photos/"}, true},
		{"subject prefix case-sensitive", eg, Filter{SubjectBeginsWith: "/blobservices/", IsSubjectCaseSensitive: true}, false},
		{"subject suffix", eg, Filter{SubjectEndsWith: ".png"}, true},
		{"subject suffix mismatch", eg, Filter{SubjectEndsWith: ".jpg"}, false},
		{"number greater", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberGreaterThan", Key: "data.contentLength", Value: raw("5")}}}, true},
		{"number less or equal", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberLessThanOrEquals", Key: "data.contentLength", Value: raw("9")}}}, false},
		{"number in range", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberInRange", Key: "data.contentLength", Values: []json.RawMessage{raw("[1,10]")}}}}, true},
		{"number not in", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberNotIn", Key: "data.contentLength", Values: []json.RawMessage{raw("10")}}}}, false},
		{"string in any case", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringIn", Key: "data.api", Values: []json.RawMessage{raw(`"putblob"`), raw(`"CopyBlob"`)}}}}, true},
		{"string not contains", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringNotContains", Key: "subject", Values: []json.RawMessage{raw(`"photos"`)}}}}, false},
		{"nested key", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringBeginsWith", Key: "data.nested.x", Values: []json.RawMessage{raw(`"hel"`)}}}}, true},
		{"bool", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "BoolEquals", Key: "data.ok", Value: raw("true")}}}, true},
		{"missing key fails a positive operator", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringIn", Key: "data.nope", Values: []json.RawMessage{raw(`"x"`)}}}}, false},
		{"missing key passes a negated operator", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringNotIn", Key: "data.nope", Values: []json.RawMessage{raw(`"x"`)}}}}, true},
		{"is null or undefined", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "IsNullOrUndefined", Key: "data.nope"}}}, true},
		{"is not null", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "IsNotNull", Key: "data.api"}}}, true},
		{"arrays off", eg, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringIn", Key: "data.tags", Values: []json.RawMessage{raw(`"b"`)}}}}, false},
		{"arrays on", eg, Filter{EnableAdvancedFilteringOnArrays: true, AdvancedFilters: []AdvancedFilter{{OperatorType: "StringIn", Key: "data.tags", Values: []json.RawMessage{raw(`"b"`)}}}}, true},
		{"all filters AND", eg, Filter{SubjectEndsWith: ".png", AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberLessThan", Key: "data.contentLength", Value: raw("5")}}}, false},
		{"cloud event type", ce, Filter{IncludedEventTypes: []string{"Orders.Created"}}, true},
		{"cloud event source key", ce, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringEndsWith", Key: "source", Values: []json.RawMessage{raw(`"/orders"`)}}}}, true},
		{"cloud event data", ce, Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberIn", Key: "data.qty", Values: []json.RawMessage{raw("3")}}}}, true},
	}
	for _, tt := range tests {
		if got := tt.f.Matches(mustEvent(t, tt.event)); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFilterValidationNamesTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f    Filter
		want string
	}{
		{Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringLike", Key: "data.a", Values: []json.RawMessage{json.RawMessage(`"x"`)}}}}, "f.advancedFilters[0].operatorType"},
		{Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringIn", Key: ""}}}, "f.advancedFilters[0].key"},
		{Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "StringIn", Key: "data.a"}}}, "f.advancedFilters[0].values"},
		{Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberIn", Key: "data.a", Values: []json.RawMessage{json.RawMessage(`"x"`)}}}}, "f.advancedFilters[0].values[0]"},
		{Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "BoolEquals", Key: "data.a", Value: json.RawMessage(`1`)}}}, "f.advancedFilters[0].value"},
		{Filter{AdvancedFilters: []AdvancedFilter{{OperatorType: "NumberGreaterThan", Key: "data.a.b.c"}}}, "f.advancedFilters[0].key"},
	}
	for _, tt := range tests {
		err := tt.f.validate("f")
		if err == nil || len(err.Error()) < len(tt.want) || err.Error()[:len(tt.want)] != tt.want {
			t.Errorf("validate = %v, want an error about %s", err, tt.want)
		}
	}
}
