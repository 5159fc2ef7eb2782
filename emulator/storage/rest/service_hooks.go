package rest

import (
	"net/http"
	"time"
)

// A Service may replace parts of the Server's common handling where its
// protocol differs (the Table service: JSON errors, its own SharedKey
// and SAS strings to sign).

// errorWriter is a Service that answers errors in its own format.
type errorWriter interface {
	WriteError(w http.ResponseWriter, r *http.Request, requestID string, now time.Time, e *Error)
}

// sharedKeySigner is a Service with its own SharedKey and SharedKeyLite
// strings to sign; scheme is "SharedKey" or "SharedKeyLite".
type sharedKeySigner interface {
	SharedKeyStrings(r *http.Request, account, scheme string) []string
}

// serviceSASSigner is a Service with its own service SAS string to sign.
type serviceSASSigner interface {
	ServiceSASStringToSign(r *Request, sas *SAS) (string, error)
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, requestID string, now time.Time, e *Error) {
	if ew, ok := s.svc.(errorWriter); ok {
		ew.WriteError(w, r, requestID, now, e)
		return
	}
	writeError(w, r, requestID, now, e)
}
