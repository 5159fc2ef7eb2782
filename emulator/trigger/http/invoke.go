package httptrigger

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/route"
)

// invoke runs a default-mode HTTP invocation and writes its response: the
// function's http output, or 500 with an empty body when it failed.
func (s *Server) invoke(w http.ResponseWriter, r *http.Request, rt *routeEntry, params route.Params) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	data, metadata, err := buildInvocation(r, body, params, rt.trigger)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	res, err := s.opts.Host.Invoke(r.Context(), emulator.InvokeRequest{
		Function: rt.fn.Name,
		Trigger:  emulator.TriggerHTTP,
		Reason:   Reason,
		Data:     data,
		Metadata: metadata,
		Input:    &emulator.Input{HTTP: requestInput(r, body, true)},
		DryRun:   r.Header.Get(DryRunHeader) == "true",
	})
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	s.writeResponse(w, res.HTTP)
}

// writeResponse sends the function's response; a header already on the
// response (such as a CORS header) is kept and the function's dropped.
func (s *Server) writeResponse(w http.ResponseWriter, resp *emulator.HTTPResponse) {
	if resp == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	h := w.Header()
	var dups []string
	for _, k := range sortedKeys(resp.Headers) {
		if _, exists := h[k]; exists {
			dups = append(dups, k)
			continue
		}
		h[k] = resp.Headers[k]
	}
	if len(dups) > 0 {
		s.log(emulator.LevelDebug, "Duplicate HTTP header from function invocation removed. Duplicate key(s): "+strings.Join(dups, ", ")+".")
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// DryRunHeader set to "true" on a request (funcemu replay --dry-run) makes
// its invocation record its queue and blob outputs without writing them.
const DryRunHeader = "X-Funcemu-Dry-Run"
