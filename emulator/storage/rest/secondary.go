package rest

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// secondarySuffix addresses an account's read-only secondary location, as
// on an RA-GRS account: /devstoreaccount1-secondary/... or
// devstoreaccount1-secondary.blob.localhost.
const secondarySuffix = "-secondary"

// LookupLocation returns the named account, or the account whose
// secondary location name is; secondary reports which.
func (a *Accounts) LookupLocation(name string) (acct *Account, secondary bool) {
	if acct := a.Lookup(name); acct != nil {
		return acct, false
	}
	if base, ok := strings.CutSuffix(name, secondarySuffix); ok {
		if acct := a.Lookup(base); acct != nil {
			return acct, true
		}
	}
	return nil, false
}

// known reports whether name is an account or an account's secondary.
func (a *Accounts) known(name string) bool {
	acct, _ := a.LookupLocation(name)
	return acct != nil
}

// checkLocation lets only reads through to the secondary location, and
// answers Get Service Stats only there, as Azure does.
func checkLocation(r *Request) error {
	stats := strings.EqualFold(r.Param("comp"), "stats") && r.Resource == ""
	if !r.Secondary {
		if stats {
			return errorf(http.StatusBadRequest, "InvalidQueryParameterValue",
				"Value for one of the query parameters specified in the request URI is invalid. (comp=stats is served only by the secondary location, %s%s)", r.Account.Name, secondarySuffix)
		}
		return nil
	}
	switch r.HTTP.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	return errorf(http.StatusForbidden, "AuthorizationFailure",
		"This request is not authorized to perform this operation. (the secondary location %s%s is read-only)", r.Account.Name, secondarySuffix)
}

type serviceStatsXML struct {
	XMLName        xml.Name `xml:"StorageServiceStats"`
	GeoReplication struct {
		Status       string `xml:"Status"`
		LastSyncTime string `xml:"LastSyncTime"`
	} `xml:"GeoReplication"`
}

// serviceStats is Get Blob/Queue Service Stats. The secondary reads the
// same store as the primary, so it is always live and synced up to now.
func serviceStats(w http.ResponseWriter, r *Request) error {
	var doc serviceStatsXML
	doc.GeoReplication.Status = "live"
	doc.GeoReplication.LastSyncTime = httpTime(r.Now)
	return writeXML(w, http.StatusOK, doc)
}
