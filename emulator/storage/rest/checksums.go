package rest

import (
	"encoding/base64"
	"net/http"
)

// parseStoredMD5 reads x-ms-blob-content-md5: a stored property, not a
// check, so Azure keeps whatever bytes the client sent, of any length.
func parseStoredMD5(h http.Header, name string) ([]byte, error) {
	v := h.Get(name)
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "InvalidMd5", "The MD5 value specified in the request is invalid. It must be Base64-encoded. (%s)", name)
	}
	return b, nil
}

// checkOneChecksum refuses a body sent with both transactional checksums:
// Azure verifies one, and answers 400 when given both.
func checkOneChecksum(h http.Header) error {
	if h.Get("Content-MD5") != "" && h.Get("x-ms-content-crc64") != "" {
		return errorf(http.StatusBadRequest, "InvalidHeaderValue",
			"The value for one of the HTTP headers is not in the correct format. (Content-MD5 and x-ms-content-crc64 may not be sent together)")
	}
	return nil
}
