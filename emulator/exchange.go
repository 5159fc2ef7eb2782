package emulator

// ExchangeLimit bounds each of the request and the response an Exchange
// keeps, as the journal bounds other recorded content.
const ExchangeLimit = 1 << 20

// Exchange is what the host sent the handler for one invocation and what
// the handler answered, byte for byte, so authors of handler frameworks
// can see how the host encoded their data. Only default-mode invocations
// have one; a forwarded HTTP request is its own record.
type Exchange struct {
	Path              string `json:"path"`    // e.g. POST /Hello
	Request           []byte `json:"request"` // the invocation envelope as sent
	RequestTruncated  bool   `json:"requestTruncated,omitempty"`
	Status            int    `json:"status,omitempty"` // the handler's HTTP status; 0 when it did not answer
	Response          []byte `json:"response,omitempty"`
	ResponseTruncated bool   `json:"responseTruncated,omitempty"`
}

// capped is b cut to ExchangeLimit, and whether it was cut.
func capped(b []byte) ([]byte, bool) {
	if len(b) > ExchangeLimit {
		return b[:ExchangeLimit:ExchangeLimit], true
	}
	return b, false
}

// NewExchange records the request sent to path.
func NewExchange(path string, request []byte) *Exchange {
	e := &Exchange{Path: path}
	e.Request, e.RequestTruncated = capped(request)
	return e
}

// SetResponse records the handler's answer.
func (e *Exchange) SetResponse(status int, body []byte) {
	e.Status = status
	e.Response, e.ResponseTruncated = capped(body)
}
