package eventgrid

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// isTopicName and isSubscriptionName are Event Grid's ^[A-Za-z0-9-]{3,50}$
// and {3,64}, checked by hand rather than by regexps compiled at every
// funcemu start.
func isTopicName(s string) bool        { return isGridName(s, 50) }
func isSubscriptionName(s string) bool { return isGridName(s, 64) }

func isGridName(s string, maxLen int) bool {
	if len(s) < 3 || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
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
		if !isTopicName(t.Name) {
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
	if !isSubscriptionName(s.Name) {
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
	if d := s.DeadLetter; d != nil && !containerNameRule().MatchString(d.Container) {
		return fail(at+".deadLetterDestination.container", "%q is not a valid container name (3 to 63 lower-case letters, digits and hyphens)", d.Container)
	}
	return nil
}

// containerNameRule is compiled on the first dead-letter destination.
var containerNameRule = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$`)
})
