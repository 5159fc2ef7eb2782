package app

import "strings"

// bindingType is one binding type of Azure Functions as function.json
// spells it (the host matches it case-insensitively).
type bindingType struct {
	name string
	// emulated is set for the types funcemu runs. The others load, and
	// are listed as not emulated: their trigger fires only by hand through
	// the admin API (funcemu invoke), their output values are not sent.
	emulated bool
}

// bindingTypes are the binding types of the Functions host and its
// extensions (the supported-bindings table of the Azure Functions docs,
// plus the Durable, Dapr, Redis, SQL, Web PubSub and OpenAI extensions).
// A type missing here is a typo as far as funcemu can tell. Emulating one
// more type is flipping its line.
var bindingTypes = []bindingType{
	{"httpTrigger", true},
	{"http", true},
	{"timerTrigger", true},
	{"queueTrigger", true},
	{"queue", true},
	{"blobTrigger", true},
	{"blob", true},
	{"table", true},
	{"eventGridTrigger", true},
	{"eventGrid", true},

	{"serviceBusTrigger", false},
	{"serviceBus", false},
	{"eventHubTrigger", false},
	{"eventHub", false},
	{"cosmosDBTrigger", false},
	{"cosmosDB", false},
	{"kafkaTrigger", false},
	{"kafka", false},
	{"rabbitMQTrigger", false},
	{"rabbitMQ", false},
	{"signalRTrigger", false},
	{"signalR", false},
	{"signalRConnectionInfo", false},
	{"signalRNegotiation", false},
	{"webPubSubTrigger", false},
	{"webPubSub", false},
	{"webPubSubConnection", false},
	{"webPubSubContext", false},
	{"sqlTrigger", false},
	{"sql", false},
	{"mysqlTrigger", false},
	{"mysql", false},
	{"redisPubSubTrigger", false},
	{"redisListTrigger", false},
	{"redisStreamTrigger", false},
	{"redis", false},
	{"daprBindingTrigger", false},
	{"daprServiceInvocationTrigger", false},
	{"daprTopicTrigger", false},
	{"daprState", false},
	{"daprInvoke", false},
	{"daprPublish", false},
	{"daprBinding", false},
	{"daprSecret", false},
	{"orchestrationTrigger", false},
	{"activityTrigger", false},
	{"entityTrigger", false},
	{"durableClient", false},
	{"orchestrationClient", false},
	{"sendGrid", false},
	{"twilioSms", false},
	{"notificationHub", false},
	{"mobileTable", false},
	{"warmupTrigger", false},
	{"mcpToolTrigger", false},
	{"assistantSkillTrigger", false},
	{"textCompletion", false},
	{"embeddings", false},
	{"embeddingsStore", false},
	{"semanticSearch", false},
	{"assistantCreate", false},
	{"assistantPost", false},
	{"assistantQuery", false},
}

// lookupBindingType finds a type by name, any case.
func lookupBindingType(name string) (bindingType, bool) {
	for _, t := range bindingTypes {
		if strings.EqualFold(t.name, name) {
			return t, true
		}
	}
	return bindingType{}, false
}

// nearestBindingType is the known type closest to name by edit distance,
// or "" when none is close enough to be a likely typo.
func nearestBindingType(name string) string {
	lower := strings.ToLower(name)
	best, bestDist := "", -1
	for _, t := range bindingTypes {
		d := editDistance(lower, strings.ToLower(t.name))
		if bestDist < 0 || d < bestDist {
			best, bestDist = t.name, d
		}
	}
	// A third of the name, at least 2 edits: "queu" -> "queue",
	// "blobtriger" -> "blobTrigger", but not "foo" -> "http".
	limit := len(lower) / 3
	if limit < 2 {
		limit = 2
	}
	if bestDist > limit || bestDist >= len(lower) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
