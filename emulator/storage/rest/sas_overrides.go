package rest

import "net/http"

// applySASOverrides replaces the content headers of a Get Blob or Get Blob
// Properties answer with the rscc, rscd, rsce, rscl and rsct values of the
// blob service SAS that authorized it (a download link that saves as an
// attachment is the common use). The values are signed, so only the SAS
// owner chose them; an account SAS carries none.
func applySASOverrides(h http.Header, r *Request) {
	s := r.SAS
	if s == nil || s.IsAccount() {
		return
	}
	for _, o := range []struct{ header, value string }{
		{"Cache-Control", s.CacheControl},
		{"Content-Disposition", s.ContentDisposition},
		{"Content-Encoding", s.ContentEncoding},
		{"Content-Language", s.ContentLanguage},
		{"Content-Type", s.ContentType},
	} {
		if o.value != "" {
			h.Set(o.header, o.value)
		}
	}
}
