package rest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// serviceProperties is the Set/Get Blob Service Properties document. Only
// CORS has an effect; the other sections are kept as sent and echoed back.
type serviceProperties struct {
	XMLName               xml.Name `xml:"StorageServiceProperties"`
	Logging               *rawXML  `xml:"Logging"`
	HourMetrics           *rawXML  `xml:"HourMetrics"`
	MinuteMetrics         *rawXML  `xml:"MinuteMetrics"`
	Cors                  *corsXML `xml:"Cors"`
	DefaultServiceVersion *string  `xml:"DefaultServiceVersion"`
	DeleteRetentionPolicy *rawXML  `xml:"DeleteRetentionPolicy"`
	StaticWebsite         *rawXML  `xml:"StaticWebsite"`
}

type rawXML struct {
	Inner string `xml:",innerxml"`
}

type corsXML struct {
	Rules []corsRule `xml:"CorsRule"`
}

type corsRule struct {
	AllowedOrigins  string `xml:"AllowedOrigins"`
	AllowedMethods  string `xml:"AllowedMethods"`
	AllowedHeaders  string `xml:"AllowedHeaders"`
	ExposedHeaders  string `xml:"ExposedHeaders"`
	MaxAgeInSeconds int    `xml:"MaxAgeInSeconds"`
}

const maxCORSRules = 5

var corsMethods = map[string]bool{"DELETE": true, "GET": true, "HEAD": true, "MERGE": true, "POST": true,
	"OPTIONS": true, "PUT": true, "PATCH": true, "CONNECT": true, "TRACE": true}

// parseServiceProperties reads a Set Blob Service Properties body and checks
// the CORS rules as Azure does.
func parseServiceProperties(body []byte) (*serviceProperties, error) {
	var p serviceProperties
	if err := decodeXML(body, &p, "StorageServiceProperties"); err != nil {
		return nil, err
	}
	if p.Cors == nil {
		return &p, nil
	}
	if len(p.Cors.Rules) > maxCORSRules {
		return nil, errorf(http.StatusBadRequest, "InvalidXmlNodeValue",
			"The value for one of the XML nodes is not in the correct format. (%d CORS rules, at most %d)", len(p.Cors.Rules), maxCORSRules)
	}
	for i, rule := range p.Cors.Rules {
		if strings.TrimSpace(rule.AllowedOrigins) == "" || strings.TrimSpace(rule.AllowedMethods) == "" {
			return nil, errorf(http.StatusBadRequest, "InvalidXmlNodeValue",
				"The value for one of the XML nodes is not in the correct format. (CorsRule %d needs AllowedOrigins and AllowedMethods)", i+1)
		}
		for _, m := range splitList(rule.AllowedMethods) {
			if !corsMethods[strings.ToUpper(m)] {
				return nil, errorf(http.StatusBadRequest, "InvalidXmlNodeValue",
					"The value for one of the XML nodes is not in the correct format. (CorsRule %d AllowedMethods %q)", i+1, m)
			}
		}
		if rule.MaxAgeInSeconds < 0 {
			return nil, errorf(http.StatusBadRequest, "InvalidXmlNodeValue",
				"The value for one of the XML nodes is not in the correct format. (CorsRule %d MaxAgeInSeconds %d)", i+1, rule.MaxAgeInSeconds)
		}
	}
	return &p, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// loadProperties returns the account's stored properties, the defaults
// when never set.
func (b *BlobService) loadProperties(r *Request) (*serviceProperties, error) {
	body, err := b.store.BlobServiceProperties(r.Context(), r.Account.Name)
	if err != nil {
		return nil, err
	}
	if body == "" {
		v := "2026-12-06"
		return &serviceProperties{
			Logging:               &rawXML{"<Version>1.0</Version><Read>false</Read><Write>false</Write><Delete>false</Delete><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>"},
			HourMetrics:           &rawXML{"<Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>"},
			MinuteMetrics:         &rawXML{"<Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>"},
			Cors:                  &corsXML{},
			DefaultServiceVersion: &v,
			DeleteRetentionPolicy: &rawXML{"<Enabled>false</Enabled>"},
			StaticWebsite:         &rawXML{"<Enabled>false</Enabled>"},
		}, nil
	}
	var p serviceProperties
	if err := xml.Unmarshal([]byte(body), &p); err != nil {
		return nil, fmt.Errorf("stored blob service properties: %w", err)
	}
	return &p, nil
}

func (b *BlobService) getServiceProperties(w http.ResponseWriter, r *Request) error {
	p, err := b.loadProperties(r)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, p)
}

// setServiceProperties merges the sent sections over the stored ones, as
// Azure keeps sections a request leaves out.
func (b *BlobService) setServiceProperties(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, 64<<10)
	if err != nil {
		return err
	}
	in, err := parseServiceProperties(body)
	if err != nil {
		return err
	}
	cur, err := b.loadProperties(r)
	if err != nil {
		return err
	}
	if in.Logging != nil {
		cur.Logging = in.Logging
	}
	if in.HourMetrics != nil {
		cur.HourMetrics = in.HourMetrics
	}
	if in.MinuteMetrics != nil {
		cur.MinuteMetrics = in.MinuteMetrics
	}
	if in.Cors != nil {
		cur.Cors = in.Cors
	}
	if in.DefaultServiceVersion != nil {
		cur.DefaultServiceVersion = in.DefaultServiceVersion
	}
	if in.DeleteRetentionPolicy != nil {
		cur.DeleteRetentionPolicy = in.DeleteRetentionPolicy
	}
	if in.StaticWebsite != nil {
		cur.StaticWebsite = in.StaticWebsite
	}
	out, err := xml.Marshal(cur)
	if err != nil {
		return fmt.Errorf("encode blob service properties: %w", err)
	}
	if err := b.store.SetBlobServiceProperties(r.Context(), r.Account.Name, string(out)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func originAllowed(rule corsRule, origin string) (string, bool) {
	for _, o := range splitList(rule.AllowedOrigins) {
		if o == "*" {
			return "*", true
		}
		if strings.EqualFold(o, origin) {
			return origin, true
		}
	}
	return "", false
}

func methodAllowed(rule corsRule, method string) bool {
	for _, m := range splitList(rule.AllowedMethods) {
		if strings.EqualFold(m, method) {
			return true
		}
	}
	return false
}

// headersAllowed checks requested headers against AllowedHeaders, where
// "*" allows all and "x-ms-meta-*" is a prefix.
func headersAllowed(rule corsRule, requested string) bool {
	allowed := splitList(rule.AllowedHeaders)
	for _, h := range splitList(requested) {
		ok := false
		for _, a := range allowed {
			if a == "*" || strings.EqualFold(a, h) ||
				(strings.HasSuffix(a, "*") && len(h) >= len(a)-1 && strings.EqualFold(h[:len(a)-1], a[:len(a)-1])) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// applyCORS adds the CORS answer headers to a request carrying Origin when
// a stored rule allows its origin and method.
func (b *BlobService) applyCORS(w http.ResponseWriter, r *Request) { applyCORS(b.loadProperties, w, r) }

// applyCORS answers CORS for the service whose properties load reads.
func applyCORS(load func(*Request) (*serviceProperties, error), w http.ResponseWriter, r *Request) {
	origin := r.Header().Get("Origin")
	if origin == "" {
		return
	}
	p, err := load(r)
	if err != nil || p.Cors == nil {
		return
	}
	for _, rule := range p.Cors.Rules {
		allow, ok := originAllowed(rule, origin)
		if !ok || !methodAllowed(rule, r.HTTP.Method) {
			continue
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", allow)
		if rule.ExposedHeaders != "" {
			h.Set("Access-Control-Expose-Headers", rule.ExposedHeaders)
		}
		if allow != "*" {
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Add("Vary", "Origin")
		}
		return
	}
}

// preflight answers a CORS OPTIONS request from the stored rules: 200 with
// the Access-Control-* headers, or 403 CorsPreflightFailure.
func (b *BlobService) preflight(w http.ResponseWriter, r *Request) error {
	return preflight(b.loadProperties, w, r)
}

// preflight answers OPTIONS for the service whose properties load reads.
func preflight(load func(*Request) (*serviceProperties, error), w http.ResponseWriter, r *Request) error {
	origin := r.Header().Get("Origin")
	method := r.Header().Get("Access-Control-Request-Method")
	if origin == "" {
		return errMissingHeader("Origin")
	}
	if method == "" {
		return errMissingHeader("Access-Control-Request-Method")
	}
	requested := r.Header().Get("Access-Control-Request-Headers")
	p, err := load(r)
	if err != nil {
		return err
	}
	if p.Cors != nil {
		for _, rule := range p.Cors.Rules {
			allow, ok := originAllowed(rule, origin)
			if !ok || !methodAllowed(rule, method) || !headersAllowed(rule, requested) {
				continue
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", allow)
			h.Set("Access-Control-Allow-Methods", strings.ToUpper(method))
			if requested != "" {
				h.Set("Access-Control-Allow-Headers", requested)
			}
			h.Set("Access-Control-Max-Age", strconv.Itoa(rule.MaxAgeInSeconds))
			if allow != "*" {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
			w.WriteHeader(http.StatusOK)
			return nil
		}
	}
	return errorf(http.StatusForbidden, "CorsPreflightFailure",
		"CORS not enabled or no matching rule found for this request. (origin %q, method %q, headers %q)", origin, method, requested)
}
