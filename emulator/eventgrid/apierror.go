package eventgrid

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// APIError is an error a topic endpoint answers, in Event Grid's shape:
// {"error":{"code":…,"message":…,"details":[{"code":…,"message":…}]}}.
type APIError struct {
	Status  int
	Code    string // BadRequest, Unauthorized, NotFound, RequestEntityTooLarge, ...
	Message string
	Detail  string // the details[0].code, e.g. InputJsonInvalid; may be empty
}

func (e *APIError) Error() string { return e.Message }

func badInput(format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "BadRequest", Detail: "InputJsonInvalid",
		Message: fmt.Sprintf(format, args...)}
}

type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type apiErrorBody struct {
	Error struct {
		Code    string           `json:"code"`
		Message string           `json:"message"`
		Details []apiErrorDetail `json:"details,omitempty"`
	} `json:"error"`
}

// write answers the error.
func (e *APIError) write(w http.ResponseWriter) {
	var b apiErrorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	if e.Detail != "" {
		b.Error.Details = []apiErrorDetail{{Code: e.Detail, Message: e.Message}}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(b)
}
