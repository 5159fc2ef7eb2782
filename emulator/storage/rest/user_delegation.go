package rest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// maxDelegationKeyLife is Azure's limit on a user delegation key.
const maxDelegationKeyLife = 7 * 24 * time.Hour

const delegationTimeLayout = "2006-01-02T15:04:05Z"

type keyInfoXML struct {
	XMLName xml.Name `xml:"KeyInfo"`
	Start   string   `xml:"Start"`
	Expiry  string   `xml:"Expiry"`
}

type userDelegationKeyXML struct {
	XMLName       xml.Name `xml:"UserDelegationKey"`
	SignedOid     string   `xml:"SignedOid"`
	SignedTid     string   `xml:"SignedTid"`
	SignedStart   string   `xml:"SignedStart"`
	SignedExpiry  string   `xml:"SignedExpiry"`
	SignedService string   `xml:"SignedService"`
	SignedVersion string   `xml:"SignedVersion"`
	Value         string   `xml:"Value"`
}

// delegationKey derives a user delegation key from the account key and
// the key's fields, so the service never stores keys: a SAS names the
// fields and the key is derived again to check it.
func delegationKey(accountKey []byte, oid, tid, start, expiry, service, version string) []byte {
	m := hmac.New(sha256.New, accountKey)
	m.Write([]byte(strings.Join([]string{"funcemu-user-delegation-key", oid, tid, start, expiry, service, version}, "\n")))
	return m.Sum(nil)
}

// getUserDelegationKey is Get User Delegation Key: only a bearer token
// may ask for one, as on Azure.
func (b *BlobService) getUserDelegationKey(w http.ResponseWriter, r *Request) error {
	if r.Bearer == nil {
		return errAuthorization("AuthenticationFailed",
			"Server failed to authenticate the request. Only an OAuth bearer token can get a user delegation key.")
	}
	body, err := readBody(r, 64<<10)
	if err != nil {
		return err
	}
	var ki keyInfoXML
	if err := decodeXML(body, &ki, "KeyInfo"); err != nil {
		return err
	}
	badNode := func(node, v, why string) error {
		return errorf(http.StatusBadRequest, "InvalidXmlNodeValue",
			"The value for one of the XML nodes is not in the correct format. (%s %q: %s)", node, v, why)
	}
	start := r.Now
	if ki.Start != "" {
		if start, err = ParseSASTime(ki.Start); err != nil {
			return badNode("Start", ki.Start, "not an ISO 8601 UTC time")
		}
	}
	expiry, err := ParseSASTime(ki.Expiry)
	if err != nil {
		return badNode("Expiry", ki.Expiry, "not an ISO 8601 UTC time")
	}
	if !expiry.After(r.Now) || !expiry.After(start) {
		return badNode("Expiry", ki.Expiry, "must be after the start and the current time")
	}
	if expiry.Sub(r.Now) > maxDelegationKeyLife {
		return badNode("Expiry", ki.Expiry, "must be within 7 days of the current time")
	}
	version := r.Header().Get("x-ms-version")
	if version == "" {
		version = DefaultVersion
	}
	doc := userDelegationKeyXML{SignedOid: r.Bearer.ObjectID, SignedTid: r.Bearer.TenantID,
		SignedStart: start.UTC().Format(delegationTimeLayout), SignedExpiry: expiry.UTC().Format(delegationTimeLayout),
		SignedService: "b", SignedVersion: version}
	doc.Value = base64.StdEncoding.EncodeToString(delegationKey(r.Account.Keys[0], doc.SignedOid, doc.SignedTid,
		doc.SignedStart, doc.SignedExpiry, doc.SignedService, doc.SignedVersion))
	return writeXML(w, http.StatusOK, doc)
}

// isUserDelegationSAS reports whether a SAS is signed with a user
// delegation key (it names the key's object id).
func isUserDelegationSAS(r *Request) bool { return r.HasParam("skoid") }

// checkUserDelegationSAS authorizes a blob service SAS signed with a user
// delegation key: the key is derived again from its fields and the
// account key, then the SAS is checked like a service SAS.
func (s *Server) checkUserDelegationSAS(r *Request, op *Operation, sas *SAS) error {
	if s.svc.Kind() != "blob" {
		return errAuthFailed("User delegation SAS is for the blob service only.")
	}
	if r.Resource == "" {
		return errAuthorization("AuthorizationResourceTypeMismatch",
			fmt.Sprintf("This request is not authorized to perform this operation using this resource type. (a service SAS cannot authorize %s)", op.Name))
	}
	p := r.Param
	keyExpiry, err := ParseSASTime(p("ske"))
	if err != nil {
		return errAuthFailed("Signed key expiry (ske) " + err.Error())
	}
	if !r.Now.Before(keyExpiry) {
		return errAuthFailed(fmt.Sprintf("The user delegation key expired at %s.", p("ske")))
	}
	path := "/" + r.Resource
	switch sas.Resource {
	case "c":
	case "b", "bs", "bv":
		if op.Level != LevelObject {
			return errAuthorization("AuthorizationResourceTypeMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this resource type. (sr=%q cannot authorize %s)", sas.Resource, op.Name))
		}
		path += "/" + r.Name
	default:
		return errAuthFailed(fmt.Sprintf("Signed resource sr=%q is not supported; use c or b.", sas.Resource))
	}
	snapshot := r.Param("snapshot")
	if sas.Resource == "bv" {
		snapshot = r.Param("versionid")
	}
	// The Go SDK names the account after the first label of the host, so
	// with path-style URLs (127.0.0.1) it signs "/blob/127/..."; accept
	// that reading too, since the key itself is bound to this account.
	names := []string{r.Account.Name}
	if host, _, _ := strings.Cut(r.HTTP.Host, "."); host != r.Account.Name {
		names = append(names, host)
	}
	valid := false
	for _, key := range r.Account.Keys {
		udk := delegationKey(key, p("skoid"), p("sktid"), p("skt"), p("ske"), p("sks"), p("skv"))
		for _, name := range names {
			for _, sts := range userDelegationStrings(r, sas, "/blob/"+name+path, snapshot) {
				valid = valid || signatureMatches(udk, sts, sas.Signature)
			}
		}
	}
	if !valid {
		return errAuthFailed("Signature did not match the user delegation key named by skoid, sktid, skt, ske, sks and skv.")
	}
	if err := checkSASTimes(r.Now, sas.Start, sas.Expiry); err != nil {
		return err
	}
	if err := checkSASNetwork(r, sas); err != nil {
		return err
	}
	if op.ServicePerms == "" || !strings.ContainsAny(sas.Permissions, op.ServicePerms) {
		return errAuthorization("AuthorizationPermissionMismatch",
			fmt.Sprintf("This request is not authorized to perform this operation using this permission. (sp=%q, %s needs one of %q)", sas.Permissions, op.Name, op.ServicePerms))
	}
	r.SAS = sas
	return nil
}

// userDelegationStrings are the strings to sign of the signed versions a
// client may use, newest first; the layout grew over the years.
func userDelegationStrings(r *Request, sas *SAS, canon, snapshot string) []string {
	p := r.Param
	head := []string{sas.Permissions, sas.Start, sas.Expiry, canon, p("skoid"), p("sktid"), p("skt"), p("ske"), p("sks"), p("skv")}
	overrides := []string{sas.CacheControl, sas.ContentDisposition, sas.ContentEncoding, sas.ContentLanguage, sas.ContentType}
	net := []string{sas.IP, sas.Protocol, sas.Version, sas.Resource, snapshot}
	ids := []string{p("saoid"), p("suoid"), p("scid")}
	join := func(parts ...[]string) string {
		var all []string
		for _, x := range parts {
			all = append(all, x...)
		}
		return strings.Join(all, "\n")
	}
	return []string{
		// 2025-07-05 and later: delegated user, signed headers and query.
		join(head, ids, []string{p("skdutid"), p("sduoid")}, net, []string{sas.Scope, signedRequestHeaders(r), signedRequestQuery(r)}, overrides),
		join(head, ids, []string{p("skdutid"), p("sduoid")}, net, []string{sas.Scope}, overrides),
		join(head, ids, net, []string{sas.Scope}, overrides), // 2020-12-06
		join(head, ids, net, overrides), // 2020-02-10
		join(head, net, overrides),      // 2018-11-09
	}
}

// signedRequestHeaders canonicalizes the headers srh names: name:value
// lines.
func signedRequestHeaders(r *Request) string {
	var b strings.Builder
	for _, n := range splitNames(r.Param("srh")) {
		b.WriteString(n + ":" + r.Header().Get(n) + "\n")
	}
	return b.String()
}

// signedRequestQuery canonicalizes the query parameters srq names, each
// line led by a newline.
func signedRequestQuery(r *Request) string {
	var b strings.Builder
	for _, n := range splitNames(r.Param("srq")) {
		b.WriteString("\n" + n + ":" + r.Param(n))
	}
	return b.String()
}

func splitNames(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}
