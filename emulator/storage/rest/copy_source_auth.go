package rest

import (
	"crypto/md5"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// copySourceRead is the operation a copy performs on its source, for SAS
// and public-access checks.
var copySourceRead = &Operation{Name: "CopySource", Level: LevelObject, AccountPerms: "r", ServicePerms: "r"}

// resolveCopySource parses x-ms-copy-source and authorizes reading it, as
// Azure does: a blob of the same account on the same host is covered by
// the destination's credentials; any other needs its own SAS granting
// read, or a public container. It answers 400 for a URL that is not
// absolute and 403 CannotVerifyCopySource when the source is not
// readable.
func (b *BlobService) resolveCopySource(r *Request) (storage.CopySource, error) {
	raw := r.Header().Get("x-ms-copy-source")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return storage.CopySource{}, errInvalidHeader("x-ms-copy-source", raw, "not an absolute http(s) URL of a blob")
	}
	var p parsedPath
	if acct := hostAccount(u.Host); acct != "" && r.server.accounts.Lookup(acct) != nil {
		p = parseHostStylePath(u, acct)
	} else if p, err = parsePath(u); err != nil {
		return storage.CopySource{}, errInvalidHeader("x-ms-copy-source", raw, "expected http://host/account/container/blob")
	}
	if p.resource == "" || p.name == "" {
		return storage.CopySource{}, errInvalidHeader("x-ms-copy-source", raw, "expected http://host/account/container/blob")
	}
	query, err := parseQuery(u.RawQuery)
	if err != nil {
		return storage.CopySource{}, errInvalidHeader("x-ms-copy-source", raw, "the query is not valid percent-encoding")
	}
	snapshot, _ := queryValue(query, "snapshot")
	src := storage.CopySource{Account: p.account, Container: p.resource, Name: p.name, Snapshot: snapshot, URL: raw}
	if src.Conditions, err = parseSourceConditions(r.Header()); err != nil {
		return src, err
	}
	sameAccount := p.account == r.Account.Name && strings.EqualFold(u.Host, r.HTTP.Host)
	_, signed := queryValue(query, "sig")
	if sameAccount && !signed {
		return src, nil
	}
	acct := r.server.accounts.Lookup(p.account)
	if acct == nil {
		return src, cannotVerifyCopySource("the source account " + p.account + " is not served here; funcemu copies only between its own accounts")
	}
	hr := r.HTTP.Clone(r.Context())
	hr.Method, hr.URL, hr.Host, hr.Header = http.MethodGet, u, u.Host, http.Header{}
	sub := &Request{HTTP: hr, ID: r.ID, Now: r.Now, Account: acct, Resource: p.resource, Name: p.name, RawPath: p.raw,
		Query: query, server: r.server}
	if signed {
		if err := r.server.checkSAS(sub, copySourceRead); err != nil {
			detail := err.Error()
			if e, ok := err.(*Error); ok {
				detail = e.Code + ": " + e.Message
			}
			return src, cannotVerifyCopySource("the source's shared access signature does not allow reading it (" + detail + ")")
		}
		return src, nil
	}
	if b.AllowAnonymous(sub, copySourceRead) {
		return src, nil
	}
	return src, cannotVerifyCopySource("a source in another account or on another host needs a shared access signature or public access")
}

func cannotVerifyCopySource(why string) *Error {
	return errorf(http.StatusForbidden, "CannotVerifyCopySource",
		"This request is not authorized to perform this operation. (%s)", why)
}

// checkSourceMD5 compares x-ms-source-content-md5 of Copy Blob From URL
// with the source's content before anything is written, and returns the
// value to echo as Content-MD5.
func (b *BlobService) checkSourceMD5(r *Request, src storage.CopySource) ([]byte, error) {
	want, err := parseMD5(r.Header(), "x-ms-source-content-md5")
	if err != nil || want == nil {
		return nil, err
	}
	rd, err := b.store.OpenBlob(r.Context(), src.Account, src.Container, src.Name, storage.ReadOptions{Snapshot: src.Snapshot})
	if err != nil {
		if isStoreCode(err, "BlobNotFound") || isStoreCode(err, "ContainerNotFound") {
			return nil, errorf(http.StatusNotFound, "CannotVerifyCopySource", "The specified blob does not exist.")
		}
		return nil, err
	}
	defer rd.Close()
	h := md5.New()
	if _, err := io.Copy(h, rd); err != nil {
		return nil, err
	}
	if string(h.Sum(nil)) != string(want) {
		return nil, errorf(http.StatusBadRequest, "Md5Mismatch",
			"The MD5 value specified in the request did not match with the MD5 value calculated by the server. (x-ms-source-content-md5)")
	}
	return want, nil
}

func isStoreCode(err error, code string) bool {
	e, ok := toAPIError(err)
	return ok && e.Code == code
}

// checkCreateOnly applies a SAS granting create (c) but not write (w): it
// may make new blobs, never replace one.
func (b *BlobService) checkCreateOnly(r *Request) error {
	s := r.SAS
	if s == nil || s.Permissions == "" || strings.ContainsRune(s.Permissions, 'w') {
		return nil
	}
	if _, err := b.store.GetBlobProperties(r.Context(), r.Account.Name, r.Resource, r.Name, "", storage.Conditions{}); err == nil {
		return errAuthorization("AuthorizationPermissionMismatch",
			"This request is not authorized to perform this operation using this permission. (sp="+s.Permissions+" creates blobs but may not overwrite "+r.Name+")")
	}
	return nil
}
