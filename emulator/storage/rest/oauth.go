package rest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// BearerToken is what a verified OAuth token tells the service.
type BearerToken struct {
	ObjectID string // oid
	TenantID string // tid
}

// storageAudiences are the audiences a token for Azure Storage carries:
// the storage resource, its application id, or the account's own URL.
var storageAudiences = []string{
	"https://storage.azure.com", "https://storage.azure.com/", "e406a681-f3d4-42a8-90b6-c2b029497af1",
}

// tokenIssuers are the Microsoft Entra issuers of the public and
// sovereign clouds, v1 and v2.
var tokenIssuers = []string{
	"https://sts.windows.net/", "https://login.microsoftonline.com/", "https://sts.chinacloudapi.cn/",
	"https://login.chinacloudapi.cn/", "https://sts.microsoftonline.us/", "https://login.microsoftonline.us/",
}

// EnableOAuth makes the server accept bearer tokens, as Azurite's
// --oauth basic does: any well-formed, unexpired JWT for the storage
// audience from a Microsoft Entra issuer authorizes every operation. The
// signature is not checked, since the emulator cannot reach Entra; roles
// (RBAC) are not modelled.
func (s *Server) EnableOAuth() { s.oauth = true }

func errBearer(detail string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "InvalidAuthenticationInfo",
		Message:    "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
		AuthDetail: detail,
		Header: http.Header{"Www-Authenticate": {
			"Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize resource_id=https://storage.azure.com"}}}
}

// checkBearer verifies "Bearer <jwt>".
func (s *Server) checkBearer(r *Request, auth string) error {
	if !s.oauth {
		return errAuthFailed("Bearer tokens are accepted only when funcemu runs with --oauth basic.")
	}
	if r.HTTP.TLS == nil {
		return errAuthFailed("Bearer tokens are accepted only over HTTPS.")
	}
	tok, err := parseBearer(strings.TrimSpace(auth[len("Bearer "):]), r.Account.Name, r.Now)
	if err != nil {
		return errBearer(err.Error())
	}
	r.Bearer = tok
	return nil
}

type tokenClaims struct {
	Aud any    `json:"aud"`
	Iss string `json:"iss"`
	Nbf *int64 `json:"nbf"`
	Exp *int64 `json:"exp"`
	Oid string `json:"oid"`
	Tid string `json:"tid"`
}

// tokenSkew tolerates clocks a little apart, as Entra's own validators do.
const tokenSkew = 5 * time.Minute

func parseBearer(jwt, account string, now time.Time) (*BearerToken, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("the bearer token is not a JWT (header.payload.signature)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("the bearer token's payload is not base64url: %v", err)
	}
	var c tokenClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf("the bearer token's payload is not JSON: %v", err)
	}
	if !audienceOK(c.Aud, account) {
		return nil, fmt.Errorf("the bearer token's audience %v is not Azure Storage (https://storage.azure.com)", c.Aud)
	}
	issOK := false
	for _, p := range tokenIssuers {
		issOK = issOK || strings.HasPrefix(c.Iss, p)
	}
	if !issOK {
		return nil, fmt.Errorf("the bearer token's issuer %q is not Microsoft Entra ID", c.Iss)
	}
	if c.Exp == nil {
		return nil, fmt.Errorf("the bearer token has no expiry (exp)")
	}
	if !now.Before(time.Unix(*c.Exp, 0).Add(tokenSkew)) {
		return nil, fmt.Errorf("the bearer token expired at %s", time.Unix(*c.Exp, 0).UTC().Format(time.RFC3339))
	}
	if c.Nbf != nil && now.Add(tokenSkew).Before(time.Unix(*c.Nbf, 0)) {
		return nil, fmt.Errorf("the bearer token is not valid before %s", time.Unix(*c.Nbf, 0).UTC().Format(time.RFC3339))
	}
	return &BearerToken{ObjectID: c.Oid, TenantID: c.Tid}, nil
}

func audienceOK(aud any, account string) bool {
	var list []string
	switch a := aud.(type) {
	case string:
		list = []string{a}
	case []any:
		for _, v := range a {
			if s, ok := v.(string); ok {
				list = append(list, s)
			}
		}
	}
	for _, a := range list {
		for _, want := range storageAudiences {
			if a == want {
				return true
			}
		}
		for _, svc := range []string{"blob", "queue"} {
			if strings.TrimSuffix(a, "/") == "https://"+account+"."+svc+".core.windows.net" {
				return true
			}
		}
	}
	return false
}
