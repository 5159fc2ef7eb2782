package rest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// loadProperties returns the account's Table service properties, the
// defaults when never set.
func (t *TableService) loadProperties(r *Request) (*serviceProperties, error) {
	body, err := t.store.TableServiceProperties(r.Context(), r.Account.Name)
	if err != nil {
		return nil, err
	}
	if body == "" {
		return &serviceProperties{
			Logging:       &rawXML{"<Version>1.0</Version><Delete>false</Delete><Read>false</Read><Write>false</Write><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>"},
			HourMetrics:   &rawXML{"<Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>"},
			MinuteMetrics: &rawXML{"<Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>"},
			Cors:          &corsXML{},
		}, nil
	}
	var p serviceProperties
	if err := xml.Unmarshal([]byte(body), &p); err != nil {
		return nil, fmt.Errorf("stored table service properties: %w", err)
	}
	return &p, nil
}

func (t *TableService) getServiceProperties(w http.ResponseWriter, r *Request) error {
	p, err := t.loadProperties(r)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, p)
}

// setServiceProperties keeps the sections a request leaves out, as Azure
// does; only CORS has an effect.
func (t *TableService) setServiceProperties(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, maxPropertiesBody)
	if err != nil {
		return err
	}
	in, err := parseServiceProperties(body)
	if err != nil {
		return err
	}
	cur, err := t.loadProperties(r)
	if err != nil {
		return err
	}
	cur.mergeCommon(in)
	out, err := xml.Marshal(cur)
	if err != nil {
		return fmt.Errorf("encode table service properties: %w", err)
	}
	if err := t.store.SetTableServiceProperties(r.Context(), r.Account.Name, string(out)); err != nil {
		return err
	}
	t.properties.Delete(r.Account.Name)
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (t *TableService) preflight(w http.ResponseWriter, r *Request) error {
	if err := checkPreflight(r); err != nil {
		return err
	}
	p, err := t.loadProperties(r)
	if err != nil {
		return err
	}
	return answerPreflight(w, r, p.corsRules())
}

// withCORS adds the CORS answer headers before an operation runs.
func (t *TableService) withCORS(op *Operation) *Operation {
	h := op.Handle
	op.Handle = func(w http.ResponseWriter, r *Request) error {
		applyCORS(w, r, t.corsRules(r))
		return h(w, r)
	}
	return op
}

// corsRules answers from the service's cache of parsed properties (see
// cachedCORSRules): loading them for every request was a fifth of an
// insert's time.
func (t *TableService) corsRules(r *Request) []corsRule {
	return cachedCORSRules(&t.properties, r, t.loadProperties)
}

// WriteError answers in the Table service's JSON error shape:
// {"odata.error":{"code":…,"message":{"lang":"en-US","value":…}}}, with
// x-ms-error-code as well. Service-level XML operations keep XML errors.
func (t *TableService) WriteError(w http.ResponseWriter, r *http.Request, requestID string, now time.Time, e *Error) {
	if r.URL.Query().Get("restype") == "service" || strings.EqualFold(r.URL.Query().Get("comp"), "acl") {
		writeError(w, r, requestID, now, e)
		return
	}
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	h.Set("x-ms-error-code", e.Code)
	if r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	msg := e.Message
	if e.AuthDetail != "" {
		msg += " " + e.AuthDetail
	}
	body := tableErrorBody(e.Code, msg+"\nRequestId:"+requestID+"\nTime:"+now.UTC().Format("2006-01-02T15:04:05.0000000Z"))
	h.Set("Content-Type", "application/json;odata=minimalmetadata;streaming=true;charset=utf-8")
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

func tableErrorBody(code, message string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"odata.error":{"code":`)
	jsonString(&b, code)
	b.WriteString(`,"message":{"lang":"en-US","value":`)
	jsonString(&b, message)
	b.WriteString(`}}}`)
	return b.Bytes()
}
