package rest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Level is the resource level an operation works on, as account SAS
// resource types (srt) name them.
type Level byte

const (
	LevelService   Level = 's'
	LevelContainer Level = 'c' // a container or a queue
	LevelObject    Level = 'o' // a blob or messages
)

// Operation is one REST operation, chosen by a Service's router before
// authentication so SAS permissions can be checked against it.
type Operation struct {
	Name  string
	Level Level
	// AccountPerms are account SAS permission letters; any one suffices.
	AccountPerms string
	// ServicePerms are service SAS permission letters; any one suffices.
	// Empty means a service SAS cannot authorize the operation.
	ServicePerms string
	// Public marks operations that need no credentials at all (CORS
	// preflight).
	Public bool
	Handle func(w http.ResponseWriter, r *Request) error
}

// AccessPolicy is a stored access policy (a signed identifier of a
// container or queue ACL). Empty fields are left to the SAS.
type AccessPolicy struct {
	Start       time.Time
	Expiry      time.Time
	Permissions string
}

// Service is what differs between Blob and Queue: routing, stored access
// policies and anonymous access. The Server does everything else.
type Service interface {
	// Kind is "blob" or "queue": it names SAS resources and the Server
	// header.
	Kind() string
	// Route picks the operation for a request, or answers an error such
	// as 400 for an unknown comp parameter.
	Route(r *Request) (*Operation, error)
	// StoredPolicy looks up signed identifier id on a container or queue;
	// nil, nil when there is none.
	StoredPolicy(ctx context.Context, account, resource, id string) (*AccessPolicy, error)
	// AllowAnonymous reports whether op may run without credentials (a read
	// of a public container).
	AllowAnonymous(r *Request, op *Operation) bool
}

// Server is one storage service's HTTP handler.
type Server struct {
	svc      Service
	accounts *Accounts
	clock    emulator.Clock
	log      *slog.Logger
	// oauth accepts bearer tokens (EnableOAuth).
	oauth bool
	// serverName is the Server header: funcemu-<kind>.
	serverName string
}

// Limits on what a request may carry before the service reads it.
const (
	// maxHeaderBytes is checked by the handler for an Azure-style answer;
	// the http.Server limit (MaxHeaderBytes) is set above it.
	maxHeaderBytes = 64 << 10
	// ServerMaxHeaderBytes is for http.Server.MaxHeaderBytes.
	ServerMaxHeaderBytes = 1 << 20
)

// DefaultVersion is answered in x-ms-version when the request names none.
const DefaultVersion = "2026-12-06"

// NewServer returns the handler for one service. A nil log discards.
func NewServer(svc Service, accounts *Accounts, clock emulator.Clock, log *slog.Logger) *Server {
	if accounts == nil {
		accounts = DefaultAccounts()
	}
	if clock == nil {
		clock = emulator.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{svc: svc, accounts: accounts, clock: clock, log: log, serverName: "funcemu-" + svc.Kind()}
}

// ServeHTTP runs one request: common headers, parsing, routing,
// authentication, the operation, and Azure's error shape for any failure.
// A panic in an operation is answered with 500 InternalError and logged,
// never a dropped connection.
func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	rw := &responseWriter{ResponseWriter: w}
	now := s.clock.Now()
	id := emulator.NewGUID()
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("storage request panicked", "service", s.svc.Kind(), "method", hr.Method,
				"path", hr.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !rw.wroteHeader {
				e, _ := toAPIError(fmt.Errorf("panic: %v", v))
				s.writeError(rw, hr, id, now, e)
			}
		}
	}()
	s.commonHeaders(rw.Header(), hr, id, now)
	if err := s.serve(rw, hr, id, now); err != nil {
		e, known := toAPIError(err)
		if !known {
			s.log.Error("storage request failed", "service", s.svc.Kind(), "method", hr.Method,
				"path", hr.URL.Path, "err", err)
		}
		if rw.wroteHeader {
			return // the answer is already on its way; nothing to add
		}
		s.writeError(rw, hr, id, now, e)
	}
}

func (s *Server) serve(w http.ResponseWriter, hr *http.Request, id string, now time.Time) error {
	if err := checkHeaderSize(hr); err != nil {
		return err
	}
	if err := checkVersion(hr.Header); err != nil {
		return err
	}
	frameBody(hr)
	var p parsedPath
	if acct := hostAccount(hr.Host); acct != "" && s.accounts.known(acct) {
		p = parseHostStylePath(hr.URL, acct)
	} else {
		var err error
		if p, err = parsePath(hr.URL); err != nil {
			return err
		}
	}
	query, err := parseQuery(hr.URL.RawQuery)
	if err != nil {
		return err
	}
	r := &Request{HTTP: hr, ID: id, Now: now, Resource: p.resource, Name: p.name, RawPath: p.raw, Query: query, server: s}
	r.Account, r.Secondary = s.accounts.LookupLocation(p.account)
	if r.Account == nil {
		return errorf(http.StatusBadRequest, "InvalidUri",
			"The requested URI does not represent any resource on the server. (unknown account %q)", p.account)
	}
	if err := checkLocation(r); err != nil {
		return err
	}
	op, err := s.svc.Route(r)
	if err != nil {
		return err
	}
	if !op.Public {
		if err := s.authenticate(r, op); err != nil {
			return err
		}
	}
	return op.Handle(w, r)
}

// commonHeaders writes the headers of every answer, names in canonical
// form straight into the map (see setETag).
func (s *Server) commonHeaders(h http.Header, r *http.Request, id string, now time.Time) {
	h["X-Ms-Request-Id"] = []string{id}
	h["X-Ms-Version"] = []string{answeredVersion(r.Header.Get("x-ms-version"))}
	h["Date"] = []string{httpTime(now)}
	h["Server"] = []string{s.serverName}
	if c := r.Header.Get("x-ms-client-request-id"); c != "" {
		h["X-Ms-Client-Request-Id"] = []string{c}
	}
}

// checkHeaderSize answers oversized headers in Azure's shape, naming the
// largest header, before anything reads them.
func checkHeaderSize(r *http.Request) error {
	total, biggest, biggestLen := 0, "", 0
	for k, vs := range r.Header {
		for _, v := range vs {
			n := len(k) + len(v) + 4
			total += n
			if n > biggestLen {
				biggest, biggestLen = k, n
			}
		}
	}
	if total > maxHeaderBytes {
		return errorf(http.StatusBadRequest, "InvalidHeaderValue",
			"The request headers are too large (%d bytes, limit %d; largest is %s).", total, maxHeaderBytes, biggest)
	}
	return nil
}

// responseWriter remembers whether the status line went out, so a late
// error or panic is not written over a started answer.
type responseWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (w *responseWriter) WriteHeader(code int) {
	w.wroteHeader = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(b)
}

// ReadFrom passes a body to net/http's own ReadFrom, which hands a file
// (a blob's chunk file) to the connection as sendfile.
func (w *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	w.wroteHeader = true
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.ResponseWriter, src)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes through for streamed downloads.
func (w *responseWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		w.wroteHeader = true
		f.Flush()
	}
}
