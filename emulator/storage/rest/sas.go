package rest

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// SAS is a shared access signature as sent in the query string. Values
// are kept literally: the signature covers the text, not its meaning.
type SAS struct {
	Version       string // sv
	Services      string // ss (account SAS)
	ResourceTypes string // srt (account SAS)
	Resource      string // sr (blob service SAS)
	Permissions   string // sp
	Start         string // st
	Expiry        string // se
	IP            string // sip
	Protocol      string // spr
	Identifier    string // si
	Scope         string // ses
	Signature     string // sig
	// Response header overrides (blob service SAS).
	CacheControl, ContentDisposition, ContentEncoding, ContentLanguage, ContentType string
}

// IsAccount reports whether this is an account SAS (it names services).
func (s *SAS) IsAccount() bool { return s.Services != "" }

// ParseSAS reads the SAS fields from a query. It fails when there is no
// signature or no version.
func ParseSAS(q url.Values) (*SAS, error) {
	get := func(k string) string { v, _ := queryValue(q, k); return v }
	s := &SAS{
		Version: get("sv"), Services: get("ss"), ResourceTypes: get("srt"), Resource: get("sr"),
		Permissions: get("sp"), Start: get("st"), Expiry: get("se"), IP: get("sip"),
		Protocol: get("spr"), Identifier: get("si"), Scope: get("ses"),
		// A '+' sent unescaped arrives as a space; base64 has no spaces.
		Signature:          strings.ReplaceAll(get("sig"), " ", "+"),
		CacheControl:       get("rscc"),
		ContentDisposition: get("rscd"),
		ContentEncoding:    get("rsce"),
		ContentLanguage:    get("rscl"),
		ContentType:        get("rsct"),
	}
	if s.Signature == "" {
		return nil, errAuthFailed("The shared access signature has no sig parameter.")
	}
	if s.Version == "" {
		return nil, errAuthFailed("The shared access signature has no sv (signed version) parameter.")
	}
	return s, nil
}

// sasTimeLayouts are the ISO 8601 forms Azure accepts for st and se.
var sasTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z",
	"2006-01-02T15:04Z",
	"2006-01-02",
}

// ParseSASTime reads an st or se value.
func ParseSASTime(v string) (time.Time, error) {
	for _, l := range sasTimeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 UTC time", v)
}

// startSkew tolerates clients whose clock runs ahead, as Azure does for
// signed start times.
const startSkew = 5 * time.Minute

// checkSAS authorizes a request carrying a shared access signature.
func (s *Server) checkSAS(r *Request, op *Operation) error {
	sas, err := ParseSAS(r.Query)
	if err != nil {
		return err
	}
	if isUserDelegationSAS(r) {
		return s.checkUserDelegationSAS(r, op, sas)
	}
	var sts string
	if sas.IsAccount() {
		sts = accountSASStringToSign(r.Account.Name, sas)
	} else {
		sts, err = s.serviceSASStringToSign(r, op, sas)
		if err != nil {
			return err
		}
	}
	valid := false
	for _, key := range r.Account.Keys {
		if signatureMatches(key, sts, sas.Signature) {
			valid = true
			break
		}
	}
	if !valid {
		return errAuthFailed(fmt.Sprintf("Signature did not match. String to sign used was %s", sts))
	}
	start, expiry, perms := sas.Start, sas.Expiry, sas.Permissions
	if sas.Identifier != "" && !sas.IsAccount() {
		pol, err := s.svc.StoredPolicy(r.Context(), r.Account.Name, r.Resource, sas.Identifier)
		if err != nil {
			return err
		}
		if pol == nil {
			return errAuthFailed(fmt.Sprintf("The signed identifier %q does not exist on %s %q.", sas.Identifier, s.svc.Kind(), r.Resource))
		}
		// A field may come from the SAS or from the policy, never both.
		for _, f := range []struct {
			name     string
			inSAS    bool
			inPolicy bool
		}{
			{"st", sas.Start != "", !pol.Start.IsZero()},
			{"se", sas.Expiry != "", !pol.Expiry.IsZero()},
			{"sp", sas.Permissions != "", pol.Permissions != ""},
		} {
			if f.inSAS && f.inPolicy {
				return errAuthFailed(fmt.Sprintf("%s is given both by the shared access signature and by the stored access policy %q.", f.name, sas.Identifier))
			}
		}
		if !pol.Start.IsZero() {
			start = pol.Start.UTC().Format(time.RFC3339)
		}
		if !pol.Expiry.IsZero() {
			expiry = pol.Expiry.UTC().Format(time.RFC3339)
		}
		if pol.Permissions != "" {
			perms = pol.Permissions
		}
	}
	if err := checkSASTimes(r.Now, start, expiry); err != nil {
		return err
	}
	if err := checkSASNetwork(r, sas); err != nil {
		return err
	}
	if sas.IsAccount() {
		if !strings.Contains(sas.Services, s.svc.Kind()[:1]) {
			return errAuthorization("AuthorizationServiceMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this service. (ss=%q does not include %s)", sas.Services, s.svc.Kind()))
		}
		if !strings.ContainsRune(sas.ResourceTypes, rune(op.Level)) {
			return errAuthorization("AuthorizationResourceTypeMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this resource type. (srt=%q, %s needs %q)", sas.ResourceTypes, op.Name, string(op.Level)))
		}
		if !strings.ContainsAny(perms, op.AccountPerms) {
			return errAuthorization("AuthorizationPermissionMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this permission. (sp=%q, %s needs one of %q)", perms, op.Name, op.AccountPerms))
		}
		r.SAS = sas
		return nil
	}
	if op.ServicePerms == "" || !strings.ContainsAny(perms, op.ServicePerms) {
		return errAuthorization("AuthorizationPermissionMismatch",
			fmt.Sprintf("This request is not authorized to perform this operation using this permission. (sp=%q, %s needs one of %q)", perms, op.Name, op.ServicePerms))
	}
	r.SAS = sas
	return nil
}

func checkSASTimes(now time.Time, start, expiry string) error {
	if expiry == "" {
		return errAuthFailed("The shared access signature has no expiry (se) and no stored access policy gives one.")
	}
	se, err := ParseSASTime(expiry)
	if err != nil {
		return errAuthFailed("Signed expiry " + err.Error())
	}
	if start != "" {
		st, err := ParseSASTime(start)
		if err != nil {
			return errAuthFailed("Signed start " + err.Error())
		}
		if now.Add(startSkew).Before(st) {
			return errAuthFailed(fmt.Sprintf("Signed start time %s is in the future.", start))
		}
	}
	if !now.Before(se) {
		return errAuthFailed(fmt.Sprintf("Signed expiry time [%s] must be after signed start time and the current time [%s].",
			se.UTC().Format(http.TimeFormat), now.UTC().Format(http.TimeFormat)))
	}
	return nil
}

// checkSASNetwork applies sip (client IP or range) and spr (protocol).
func checkSASNetwork(r *Request, sas *SAS) error {
	if sas.Protocol != "" && sas.Protocol != "https,http" && sas.Protocol != "http,https" && sas.Protocol != "http" {
		if r.HTTP.TLS == nil {
			return errAuthorization("AuthorizationProtocolMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this protocol. (spr=%q, request used http)", sas.Protocol))
		}
	}
	if sas.IP == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(r.HTTP.RemoteAddr)
	if err != nil {
		host = r.HTTP.RemoteAddr
	}
	client := net.ParseIP(host)
	lo, hi, _ := strings.Cut(sas.IP, "-")
	from, to := net.ParseIP(lo), net.ParseIP(hi)
	if hi == "" {
		to = from
	}
	if from == nil || to == nil {
		return errAuthFailed(fmt.Sprintf("Signed IP range %q is not an IP address or range.", sas.IP))
	}
	if client == nil || !ipBetween(client, from, to) {
		return errAuthorization("AuthorizationSourceIPMismatch",
			fmt.Sprintf("This request is not authorized to perform this operation using this source IP %s. (sip=%q)", host, sas.IP))
	}
	return nil
}

func ipBetween(ip, from, to net.IP) bool {
	ip, from, to = ip.To16(), from.To16(), to.To16()
	return compareBytes(ip, from) >= 0 && compareBytes(ip, to) <= 0
}

func compareBytes(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// accountSASStringToSign follows the account SAS rules; version
// 2020-12-06 added the encryption scope line.
func accountSASStringToSign(account string, s *SAS) string {
	fields := []string{account, s.Permissions, s.Services, s.ResourceTypes, s.Start, s.Expiry, s.IP, s.Protocol, s.Version}
	if s.Version >= "2020-12-06" {
		fields = append(fields, s.Scope)
	}
	return strings.Join(fields, "\n") + "\n"
}

// serviceSASStringToSign follows the service SAS rules for the service and
// signed version.
func (s *Server) serviceSASStringToSign(r *Request, op *Operation, sas *SAS) (string, error) {
	if signer, ok := s.svc.(serviceSASSigner); ok {
		return signer.ServiceSASStringToSign(r, sas)
	}
	acct := r.Account.Name
	if r.Resource == "" {
		return "", errAuthorization("AuthorizationResourceTypeMismatch",
			fmt.Sprintf("This request is not authorized to perform this operation using this resource type. (a service SAS cannot authorize %s)", op.Name))
	}
	modern := sas.Version >= "2015-02-21"
	if s.svc.Kind() == "queue" {
		canon := "/" + acct + "/" + r.Resource
		if modern {
			canon = "/queue" + canon
		}
		if sas.Version >= "2015-04-05" {
			return strings.Join([]string{sas.Permissions, sas.Start, sas.Expiry, canon, sas.Identifier, sas.IP, sas.Protocol, sas.Version}, "\n"), nil
		}
		return strings.Join([]string{sas.Permissions, sas.Start, sas.Expiry, canon, sas.Identifier, sas.Version}, "\n"), nil
	}
	canon := "/" + acct + "/" + r.Resource
	switch sas.Resource {
	case "c":
	case "b", "bs", "bv":
		if op.Level != LevelObject {
			return "", errAuthorization("AuthorizationResourceTypeMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this resource type. (sr=%q cannot authorize %s)", sas.Resource, op.Name))
		}
		canon += "/" + r.Name
	default:
		return "", errAuthFailed(fmt.Sprintf("Signed resource sr=%q is not supported; use c or b.", sas.Resource))
	}
	if modern {
		canon = "/blob" + canon
	}
	overrides := []string{sas.CacheControl, sas.ContentDisposition, sas.ContentEncoding, sas.ContentLanguage, sas.ContentType}
	head := []string{sas.Permissions, sas.Start, sas.Expiry, canon, sas.Identifier}
	var fields []string
	snapshot := r.Param("snapshot")
	if sas.Resource == "bv" {
		snapshot = r.Param("versionid")
	}
	switch {
	case sas.Version >= "2020-12-06":
		fields = append(head, sas.IP, sas.Protocol, sas.Version, sas.Resource, snapshot, sas.Scope)
	case sas.Version >= "2018-11-09":
		fields = append(head, sas.IP, sas.Protocol, sas.Version, sas.Resource, snapshot)
	case sas.Version >= "2015-04-05":
		fields = append(head, sas.IP, sas.Protocol, sas.Version)
	default:
		fields = append(head, sas.Version)
	}
	return strings.Join(append(fields, overrides...), "\n"), nil
}
