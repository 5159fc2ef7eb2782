package rest

import (
	"net/http"
	"strings"
)

// SharedKeyStrings are the Table service's strings to sign, which differ
// from Blob and Queue: no canonicalized x-ms- headers.
//
//	SharedKey:     VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedResource
//	SharedKeyLite: Date \n CanonicalizedResource
//
// Date is x-ms-date when sent (the SDKs send only that), else Date; both
// readings are accepted when both headers are present, as Azurite and
// the documentation disagree on the order.
func (t *TableService) SharedKeyStrings(r *http.Request, account, scheme string) []string {
	resource := legacyCanonicalResource(r, account)
	var dates []string
	for _, h := range []string{"x-ms-date", "Date"} {
		if v := r.Header.Get(h); v != "" {
			dates = append(dates, v)
		}
	}
	if len(dates) == 0 {
		dates = []string{""}
	}
	var out []string
	for _, d := range dates {
		if scheme == "SharedKeyLite" {
			out = append(out, d+"\n"+resource)
			continue
		}
		out = append(out, strings.Join([]string{r.Method, r.Header.Get("Content-MD5"), r.Header.Get("Content-Type"), d, resource}, "\n"))
	}
	return dedupe(out)
}

// ServiceSASStringToSign is the table SAS string to sign: the table name
// (tn) lower-cased in the canonical resource, then the key range.
func (t *TableService) ServiceSASStringToSign(r *Request, sas *SAS) (string, error) {
	tn := r.Param("tn")
	if tn == "" {
		return "", errAuthFailed("A table shared access signature needs tn (the table name).")
	}
	canon := "/" + r.Account.Name + "/" + strings.ToLower(tn)
	if sas.Version >= "2015-02-21" {
		canon = "/table" + canon
	}
	fields := []string{sas.Permissions, sas.Start, sas.Expiry, canon, sas.Identifier}
	if sas.Version >= "2015-04-05" {
		fields = append(fields, sas.IP, sas.Protocol)
	}
	fields = append(fields, sas.Version, r.Param("spk"), r.Param("srk"), r.Param("epk"), r.Param("erk"))
	return strings.Join(fields, "\n"), nil
}
