package eventgrid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// ConfigFile is the subscriptions file in the app folder.
const ConfigFile = "funcemu.eventgrid.json"

// DefaultPort is where local topics are served unless the file says.
const DefaultPort = 7073

// Event Grid's limits on a subscription's retry policy.
const (
	DefaultMaxDeliveryAttempts = 30
	DefaultTTLMinutes          = 1440
)

// Config is the subscriptions file: local topics and the subscriptions
// that deliver their events (and the storage account's) to functions.
type Config struct {
	// Port serves the local topics on 127.0.0.1 (0 picks a free port).
	Port          *int           `json:"port,omitempty"`
	Topics        []Topic        `json:"topics,omitempty"`
	Subscriptions []Subscription `json:"subscriptions"`
	// Default is set when the file is absent: every eventGridTrigger and
	// EventGrid-sourced blob trigger subscribes to the storage account.
	Default bool `json:"-"`
}

// Topic is a local custom topic.
type Topic struct {
	Name string `json:"name"`
	// Key is required in aeg-sas-key or signs aeg-sas-token; empty
	// accepts any request.
	Key         string `json:"key,omitempty"`
	InputSchema Schema `json:"inputSchema,omitempty"`
	// Setting names the eventGrid output binding setting the topic was
	// found in, when it was not declared in the file; Port is the port
	// of that setting's URL.
	Setting string `json:"-"`
	Port    int    `json:"-"`
}

// Subscription delivers a topic's events to a function.
type Subscription struct {
	Name string `json:"name"`
	// Topic is a local topic's name, or "storage" for the blob events of
	// the embedded storage account.
	Topic    string `json:"topic"`
	Function string `json:"function"`
	// EventDeliverySchema is the schema events reach the function in.
	EventDeliverySchema Schema                 `json:"eventDeliverySchema,omitempty"`
	Filter              *Filter                `json:"filter,omitempty"`
	RetryPolicy         *RetryPolicy           `json:"retryPolicy,omitempty"`
	DeadLetter          *DeadLetterDestination `json:"deadLetterDestination,omitempty"`
}

// RetryPolicy bounds redelivery: whichever limit is hit first ends it.
type RetryPolicy struct {
	MaxDeliveryAttempts      int `json:"maxDeliveryAttempts,omitempty"`
	EventTimeToLiveInMinutes int `json:"eventTimeToLiveInMinutes,omitempty"`
}

// DeadLetterDestination is a blob container of the embedded storage
// account that receives events whose delivery gave up.
type DeadLetterDestination struct {
	Container string `json:"container"`
}

// MaxAttempts is the policy's maximum delivery attempts, default 30.
func (s *Subscription) MaxAttempts() int {
	if s.RetryPolicy == nil || s.RetryPolicy.MaxDeliveryAttempts == 0 {
		return DefaultMaxDeliveryAttempts
	}
	return s.RetryPolicy.MaxDeliveryAttempts
}

// TTLMinutes is the policy's event time-to-live, default 1440 minutes.
func (s *Subscription) TTLMinutes() int {
	if s.RetryPolicy == nil || s.RetryPolicy.EventTimeToLiveInMinutes == 0 {
		return DefaultTTLMinutes
	}
	return s.RetryPolicy.EventTimeToLiveInMinutes
}

// ConfigError names the file and field at fault.
type ConfigError struct {
	File  string
	Field string
	Err   error
}

func (e *ConfigError) Error() string {
	if e.Field == "" {
		return e.File + ": " + e.Err.Error()
	}
	return e.File + ": " + e.Field + ": " + e.Err.Error()
}

func (e *ConfigError) Unwrap() error { return e.Err }

var (
	topicNameRule = regexp.MustCompile(`^[A-Za-z0-9-]{3,50}$`)
	subNameRule   = regexp.MustCompile(`^[A-Za-z0-9-]{3,64}$`)
)

// LoadConfig reads the app's subscriptions file, or makes the default
// subscriptions when there is none. implied are the topics the app's
// eventGrid output bindings point at (see ImpliedTopic); they exist
// without being declared. The result is validated against the app's
// functions.
func LoadConfig(a *emulator.App, implied []Topic) (*Config, error) {
	path := filepath.Join(a.Dir, ConfigFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		c := defaultConfig(a)
		c.Topics = append(c.Topics, implied...)
		return c, nil
	}
	if err != nil {
		return nil, &ConfigError{File: ConfigFile, Err: err}
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, &ConfigError{File: ConfigFile, Err: describeJSONError(raw, err)}
	}
	for _, t := range implied {
		if c.topic(t.Name) == nil {
			c.Topics = append(c.Topics, t)
		}
	}
	if err := c.validate(a); err != nil {
		return nil, err
	}
	return &c, nil
}

// describeJSONError adds the line of a syntax or type error.
func describeJSONError(raw []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Errorf("%s: must be %s, found %s", te.Field, te.Type, te.Value)
		}
		off = te.Offset
	}
	if off < 0 {
		return err
	}
	line := 1 + bytes.Count(raw[:min(int(off), len(raw))], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}

// defaultConfig subscribes every eventGridTrigger function to all the
// storage account's events, and every EventGrid-sourced blob trigger to
// the BlobCreated events of its container, as the portal sets them up.
func defaultConfig(a *emulator.App) *Config {
	c := &Config{Default: true}
	for _, fn := range a.Functions {
		t := fn.Trigger()
		if t == nil {
			continue
		}
		switch {
		case t.Kind() == BindingEventGridTrigger:
			c.Subscriptions = append(c.Subscriptions, Subscription{Name: subscriptionName(fn.Name),
				Topic: StorageTopicName, Function: fn.Name})
		case IsEventGridBlobTrigger(t):
			container, _, _ := strings.Cut(t.Path, "/")
			f := &Filter{IncludedEventTypes: []string{BlobCreated}}
			if !strings.ContainsAny(container, "{%") {
				f.SubjectBeginsWith = "/blobServices/default/containers/" + container + "/"
			}
			c.Subscriptions = append(c.Subscriptions, Subscription{Name: subscriptionName(fn.Name),
				Topic: StorageTopicName, Function: fn.Name, Filter: f})
		}
	}
	return c
}

// subscriptionName turns a function name into a valid subscription name.
func subscriptionName(fn string) string {
	b := []byte(fn)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-') {
			b[i] = '-'
		}
	}
	s := string(b)
	for len(s) < 3 {
		s += "-"
	}
	return s
}

// Binding types of Event Grid, lower-cased like emulator.Binding.Kind.
const (
	BindingEventGridTrigger = "eventgridtrigger"
	BindingEventGrid        = "eventgrid"
)

// IsEventGridBlobTrigger reports whether b is a blobTrigger with
// "source": "EventGrid".
func IsEventGridBlobTrigger(b *emulator.Binding) bool {
	return b != nil && b.Kind() == emulator.BindingBlobTrigger && strings.EqualFold(b.Source, "EventGrid")
}

func (c *Config) topic(name string) *Topic {
	for i := range c.Topics {
		if strings.EqualFold(c.Topics[i].Name, name) {
			return &c.Topics[i]
		}
	}
	return nil
}

// Topic returns the local topic by name (any case), or nil.
func (c *Config) Topic(name string) *Topic { return c.topic(name) }

// TopicPort is the port local topics are served on: the file's port,
// else the port of the first output binding's topic endpoint setting,
// else DefaultPort.
func (c *Config) TopicPort() int {
	if c.Port != nil {
		return *c.Port
	}
	for _, t := range c.Topics {
		if t.Port > 0 {
			return t.Port
		}
	}
	return DefaultPort
}

func (c *Config) validate(a *emulator.App) error {
	fail := func(field, format string, args ...any) error {
		return &ConfigError{File: ConfigFile, Field: field, Err: fmt.Errorf(format, args...)}
	}
	if c.Port != nil && (*c.Port < 0 || *c.Port > 65535) {
		return fail("port", "%d is not a TCP port (0 picks a free one)", *c.Port)
	}
	for i := range c.Topics {
		t := &c.Topics[i]
		at := fmt.Sprintf("topics[%d]", i)
		if !topicNameRule.MatchString(t.Name) {
			return fail(at+".name", "%q must be 3 to 50 letters, digits and hyphens", t.Name)
		}
		if strings.EqualFold(t.Name, StorageTopicName) {
			return fail(at+".name", "%q is reserved for the storage account's events", t.Name)
		}
		s, ok := ParseSchema(string(t.InputSchema))
		if !ok {
			return fail(at+".inputSchema", "%q is not EventGridSchema or CloudEventSchemaV1_0", t.InputSchema)
		}
		t.InputSchema = s
		for j := 0; j < i; j++ {
			if strings.EqualFold(c.Topics[j].Name, t.Name) {
				return fail(at+".name", "topic %q is declared twice", t.Name)
			}
		}
	}
	for i := range c.Subscriptions {
		if err := c.validateSubscription(a, i, fail); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) validateSubscription(a *emulator.App, i int, fail func(field, format string, args ...any) error) error {
	s := &c.Subscriptions[i]
	at := fmt.Sprintf("subscriptions[%d]", i)
	if !subNameRule.MatchString(s.Name) {
		return fail(at+".name", "%q must be 3 to 64 letters, digits and hyphens", s.Name)
	}
	for j := 0; j < i; j++ {
		if strings.EqualFold(c.Subscriptions[j].Name, s.Name) {
			return fail(at+".name", "subscription %q is declared twice", s.Name)
		}
	}
	inputSchema := SchemaEventGrid
	switch t := c.topic(s.Topic); {
	case strings.EqualFold(s.Topic, StorageTopicName):
		s.Topic = StorageTopicName
	case t != nil:
		s.Topic, inputSchema = t.Name, t.InputSchema
	case s.Topic == "":
		return fail(at+".topic", `required: "storage" or the name of a topic in topics`)
	default:
		return fail(at+".topic", "%q is neither \"storage\" nor a topic declared in topics", s.Topic)
	}
	fn := a.Function(s.Function)
	if fn == nil {
		return fail(at+".function", "the app has no function %q", s.Function)
	}
	s.Function = fn.Name
	tr := fn.Trigger()
	if tr == nil || (tr.Kind() != BindingEventGridTrigger && !IsEventGridBlobTrigger(tr)) {
		return fail(at+".function", "function %s is neither an eventGridTrigger nor a blobTrigger with \"source\": \"EventGrid\"", fn.Name)
	}
	schema, ok := ParseSchema(string(s.EventDeliverySchema))
	if !ok {
		return fail(at+".eventDeliverySchema", "%q is not EventGridSchema or CloudEventSchemaV1_0", s.EventDeliverySchema)
	}
	if s.EventDeliverySchema == "" {
		schema = inputSchema
	}
	if inputSchema == SchemaCloudEvents && schema != SchemaCloudEvents {
		return fail(at+".eventDeliverySchema", "topic %q takes CloudEvents, which Event Grid delivers only as CloudEventSchemaV1_0", s.Topic)
	}
	if IsEventGridBlobTrigger(tr) && schema != SchemaEventGrid {
		return fail(at+".eventDeliverySchema", "blob triggers take blob events in the EventGridSchema only")
	}
	s.EventDeliverySchema = schema
	if s.Filter != nil {
		if err := s.Filter.validate(at + ".filter"); err != nil {
			return &ConfigError{File: ConfigFile, Err: err}
		}
	}
	if p := s.RetryPolicy; p != nil {
		if p.MaxDeliveryAttempts != 0 && (p.MaxDeliveryAttempts < 1 || p.MaxDeliveryAttempts > 30) {
			return fail(at+".retryPolicy.maxDeliveryAttempts", "%d is outside 1..30", p.MaxDeliveryAttempts)
		}
		if p.EventTimeToLiveInMinutes != 0 && (p.EventTimeToLiveInMinutes < 1 || p.EventTimeToLiveInMinutes > 1440) {
			return fail(at+".retryPolicy.eventTimeToLiveInMinutes", "%d is outside 1..1440", p.EventTimeToLiveInMinutes)
		}
	}
	if d := s.DeadLetter; d != nil && !containerNameRule.MatchString(d.Container) {
		return fail(at+".deadLetterDestination.container", "%q is not a valid container name (3 to 63 lower-case letters, digits and hyphens)", d.Container)
	}
	return nil
}

var containerNameRule = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$`)
