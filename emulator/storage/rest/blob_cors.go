package rest

import (
	"encoding/xml"
	"fmt"
	"net/http"
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

// mergeCommon copies the sections every service has (logging, metrics,
// CORS) that in sends over p, keeping those it leaves out, as Azure does.
func (p *serviceProperties) mergeCommon(in *serviceProperties) {
	if in.Logging != nil {
		p.Logging = in.Logging
	}
	if in.HourMetrics != nil {
		p.HourMetrics = in.HourMetrics
	}
	if in.MinuteMetrics != nil {
		p.MinuteMetrics = in.MinuteMetrics
	}
	if in.Cors != nil {
		p.Cors = in.Cors
	}
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
	cur.mergeCommon(in)
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
	b.properties.Delete(r.Account.Name)
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// corsRules answers from the service's cache of parsed properties (see
// cachedCORSRules).
func (b *BlobService) corsRules(r *Request) []corsRule {
	return cachedCORSRules(&b.properties, r, b.loadProperties)
}

func (b *BlobService) applyCORS(w http.ResponseWriter, r *Request) {
	applyCORS(w, r, b.corsRules(r))
}

func (b *BlobService) preflight(w http.ResponseWriter, r *Request) error {
	if err := checkPreflight(r); err != nil {
		return err
	}
	p, err := b.loadProperties(r)
	if err != nil {
		return err
	}
	return answerPreflight(w, r, p.corsRules())
}
