package rest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// Permission letters a stored access policy may grant, per service: a
// queue policy granting w or d is meaningless there, and Azure refuses it.
const (
	queuePolicyLetters = "raup"
	blobPolicyLetters  = "racwdxyltmeopi"
)

// checkPolicyPermissions refuses signed identifiers whose Permission names
// a letter the service does not know, naming the identifier and letter.
func checkPolicyPermissions(ids []storage.SignedIdentifier, allowed string) error {
	for _, id := range ids {
		for _, c := range id.Permission {
			if !strings.ContainsRune(allowed, c) {
				return errorf(http.StatusBadRequest, "InvalidXmlNodeValue",
					"The value for one of the XML nodes is not in the correct format. (signed identifier %q: permission %q is not one of %q)",
					id.ID, string(c), allowed)
			}
		}
	}
	return nil
}

// parseACLBody reads a Set ACL body for a service whose policies may grant
// the given letters.
func parseACLBody(body []byte, allowed string) ([]storage.SignedIdentifier, error) {
	ids, err := ParseSignedIdentifiers(body)
	if err != nil {
		return nil, err
	}
	if err := checkPolicyPermissions(ids, allowed); err != nil {
		return nil, fmt.Errorf("set acl: %w", err)
	}
	return ids, nil
}
