package eventgrid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
