package rest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// authenticate lets a request through when its SharedKey or SharedKeyLite
// signature, or its shared access signature, is valid for the account and
// covers the operation, or when the service allows it anonymously. The
// failure answers are 403 in Azure's shape; nothing has run yet.
func (s *Server) authenticate(r *Request, op *Operation) error {
	if auth := r.Header().Get("Authorization"); auth != "" {
		if len(auth) > 7 && strings.EqualFold(auth[:7], "Bearer ") {
			return s.checkBearer(r, auth)
		}
		return s.checkSharedKey(r, auth)
	}
	if r.HasParam("sig") {
		return s.checkSAS(r, op)
	}
	if s.svc.AllowAnonymous(r, op) {
		return nil
	}
	return &Error{Status: http.StatusUnauthorized, Code: "NoAuthenticationInformation",
		Message: "Server failed to authenticate the request. Please refer to the information in the www-authenticate header."}
}

// checkSharedKey verifies "SharedKey account:signature" and
// "SharedKeyLite account:signature".
func (s *Server) checkSharedKey(r *Request, auth string) error {
	if err := checkRequestDate(r.Header(), time.Now()); err != nil {
		return err
	}
	scheme, cred, ok := strings.Cut(strings.TrimSpace(auth), " ")
	if !ok {
		return errAuthFailed(fmt.Sprintf("The Authorization header %q is not in the form 'SharedKey account:signature'.", auth))
	}
	account, sig, ok := strings.Cut(strings.TrimSpace(cred), ":")
	if !ok || sig == "" {
		return errAuthFailed("The Authorization header is not in the form 'SharedKey account:signature'.")
	}
	if account != r.Account.Name {
		return errAuthFailed(fmt.Sprintf("The account %q in the Authorization header does not match the account %q in the URL.", account, r.Account.Name))
	}
	var candidates []string
	switch scheme {
	case "SharedKey":
		candidates = sharedKeyStrings(r.HTTP, account)
	case "SharedKeyLite":
		candidates = sharedKeyLiteStrings(r.HTTP, account)
	default:
		return errAuthFailed(fmt.Sprintf("The authorization scheme %q is not supported; use SharedKey, SharedKeyLite or a shared access signature.", scheme))
	}
	if signer, ok := s.svc.(sharedKeySigner); ok {
		candidates = signer.SharedKeyStrings(r.HTTP, account, scheme)
	}
	for _, key := range r.Account.Keys {
		for _, sts := range candidates {
			if signatureMatches(key, sts, sig) {
				return nil
			}
		}
	}
	return errAuthFailed(fmt.Sprintf("The MAC signature found in the HTTP request '%s' is not the same as any computed signature. Server used following string to sign: '%s'.",
		sig, candidates[0]))
}
