package rest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// readBody reads a request body of at most limit bytes, answering 413
// RequestBodyTooLarge beyond it.
func readBody(r *Request, limit int64) ([]byte, error) {
	if r.HTTP.ContentLength > limit {
		return nil, errorf(http.StatusRequestEntityTooLarge, "RequestBodyTooLarge",
			"The request body is too large and exceeds the maximum permissible limit. (%d bytes, limit %d)", r.HTTP.ContentLength, limit)
	}
	if n := r.HTTP.ContentLength; n >= 0 {
		// The length is known: one buffer of that size, not the
		// doublings of io.ReadAll (a 100-entity $batch is 40 KB).
		b := make([]byte, n)
		if _, err := io.ReadFull(r.HTTP.Body, b); err != nil {
			return nil, errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. (reading the body: %v)", err)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.HTTP.Body, limit+1))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. (reading the body: %v)", err)
	}
	if int64(len(b)) > limit {
		return nil, errorf(http.StatusRequestEntityTooLarge, "RequestBodyTooLarge",
			"The request body is too large and exceeds the maximum permissible limit. (limit %d bytes)", limit)
	}
	return b, nil
}

// decodeXML parses an XML request body into v, naming the element
// expected when the body does not hold it.
func decodeXML(body []byte, v any, root string) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return errInvalidXML("the body is empty; expected <" + root + ">")
	}
	if err := xml.Unmarshal(body, v); err != nil {
		var ue xml.UnmarshalError
		if errors.As(err, &ue) || strings.Contains(err.Error(), "expected element type") {
			return errInvalidXML(fmt.Sprintf("expected <%s>: %v", root, err))
		}
		return errInvalidXML(err.Error())
	}
	return nil
}

// writeXML answers status with v marshalled after the XML prolog, escaped
// as Azure escapes (marshalAzureXML).
func writeXML(w http.ResponseWriter, status int, v any) error {
	out, err := marshalAzureXML(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return writeMarshaledXML(w, status, out)
}

// writeListingXML is writeXML for a listing, its elements without a value
// written <Metadata /> and <NextMarker /> as Azure writes them.
func writeListingXML(w http.ResponseWriter, status int, v any) error {
	out, err := marshalAzureXML(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return writeMarshaledXML(w, status, closeEmptyElements(out))
}

func writeMarshaledXML(w http.ResponseWriter, status int, out []byte) error {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xmlProlog)
	_, _ = w.Write(out)
	return nil
}

// intParam reads an integer query parameter within [min, max]; def when
// absent. A non-number is 400 InvalidQueryParameterValue, a number out of
// range 400 OutOfRangeQueryParameterValue.
func intParam(r *Request, name string, def, min, max int64) (int64, error) {
	v, ok := queryValue(r.Query, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, errInvalidQueryParameter(name, v, "not an integer")
	}
	if n < min || n > max {
		return 0, errOutOfRangeQuery(name, v)
	}
	return n, nil
}

const metaPrefix = "x-ms-meta-"

// metadataFromHeaders collects x-ms-meta-* headers. Names are lower-cased:
// Go's HTTP server does not keep the case the client sent, and Azure
// compares metadata names case-insensitively.
func metadataFromHeaders(h http.Header) (map[string]string, error) {
	meta := map[string]string{}
	for k, vs := range h {
		lk := strings.ToLower(k)
		if !strings.HasPrefix(lk, metaPrefix) {
			continue
		}
		name := lk[len(metaPrefix):]
		if err := storage.ValidateMetadataName(name); err != nil {
			return nil, errorf(http.StatusBadRequest, "InvalidMetadata",
				"The metadata specified is invalid. It has characters that are not permitted. (header %s)", k)
		}
		meta[name] = strings.Join(vs, ",")
	}
	return meta, nil
}

// setMetadataHeaders writes metadata as x-ms-meta-* response headers.
func setMetadataHeaders(h http.Header, meta map[string]string) {
	for k, v := range meta {
		h[metaPrefix+k] = []string{v}
	}
}

// metadataXML is a <Metadata> element with one child per name, sorted.
type metadataXML map[string]string

func (m metadataXML) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := e.EncodeElement(m[k], xml.StartElement{Name: xml.Name{Local: k}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// signedIdentifiersXML is the body of Get/Set Queue and Container ACL.
type signedIdentifiersXML struct {
	XMLName     xml.Name              `xml:"SignedIdentifiers"`
	Identifiers []signedIdentifierXML `xml:"SignedIdentifier"`
}

type signedIdentifierXML struct {
	ID           string `xml:"Id"`
	AccessPolicy *struct {
		Start      string `xml:"Start,omitempty"`
		Expiry     string `xml:"Expiry,omitempty"`
		Permission string `xml:"Permission,omitempty"`
	} `xml:"AccessPolicy"`
}

// ParseSignedIdentifiers reads a Set ACL body, checking the times and the
// limit of five identifiers.
func ParseSignedIdentifiers(body []byte) ([]storage.SignedIdentifier, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, nil
	}
	var doc signedIdentifiersXML
	if err := decodeXML(body, &doc, "SignedIdentifiers"); err != nil {
		return nil, err
	}
	if len(doc.Identifiers) > storage.MaxSignedIdentifiers {
		return nil, errInvalidXML(fmt.Sprintf("%d signed identifiers, at most %d", len(doc.Identifiers), storage.MaxSignedIdentifiers))
	}
	out := make([]storage.SignedIdentifier, 0, len(doc.Identifiers))
	for _, si := range doc.Identifiers {
		if si.ID == "" || len(si.ID) > 64 {
			return nil, errInvalidXML(fmt.Sprintf("signed identifier Id %q must be 1 to 64 characters", si.ID))
		}
		id := storage.SignedIdentifier{ID: si.ID}
		if p := si.AccessPolicy; p != nil {
			for _, t := range []struct{ name, v string }{{"Start", p.Start}, {"Expiry", p.Expiry}} {
				if t.v == "" {
					continue
				}
				if _, err := ParseSASTime(t.v); err != nil {
					return nil, errInvalidXML(fmt.Sprintf("signed identifier %q %s: %v", si.ID, t.name, err))
				}
			}
			id.Start, id.Expiry, id.Permission = p.Start, p.Expiry, p.Permission
		}
		out = append(out, id)
	}
	return out, nil
}

func signedIdentifiersBody(ids []storage.SignedIdentifier) signedIdentifiersXML {
	doc := signedIdentifiersXML{Identifiers: []signedIdentifierXML{}}
	for _, id := range ids {
		x := signedIdentifierXML{ID: id.ID}
		x.AccessPolicy = &struct {
			Start      string `xml:"Start,omitempty"`
			Expiry     string `xml:"Expiry,omitempty"`
			Permission string `xml:"Permission,omitempty"`
		}{id.Start, id.Expiry, id.Permission}
		doc.Identifiers = append(doc.Identifiers, x)
	}
	return doc
}

// serviceEndpoint is the account URL as the client reached it.
func serviceEndpoint(r *Request) string {
	scheme := "http"
	if r.HTTP.TLS != nil {
		scheme = "https"
	}
	if hostAccount(r.HTTP.Host) == r.Account.Name {
		return scheme + "://" + r.HTTP.Host + "/"
	}
	return scheme + "://" + r.HTTP.Host + "/" + r.Account.Name + "/"
}
