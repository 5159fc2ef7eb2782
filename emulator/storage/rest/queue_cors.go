package rest

import (
	"encoding/xml"
	"net/http"
)

// Route maps a request to its queue operation: CORS preflights, and every
// other operation with the account's CORS rules applied to its answer, as
// the Blob service does.
func (q *QueueService) Route(r *Request) (*Operation, error) {
	if r.HTTP.Method == http.MethodOptions {
		return &Operation{Name: "Preflight", Level: LevelService, Public: true, Handle: q.preflight}, nil
	}
	op, err := q.route(r)
	if err != nil {
		return nil, err
	}
	handle := op.Handle
	op.Handle = func(w http.ResponseWriter, r *Request) error {
		applyCORS(w, r, q.corsRules(r.Account.Name))
		return handle(w, r)
	}
	return op, nil
}

// corsRules are the CORS rules of the account's Set Queue Service
// Properties, none when never set.
func (q *QueueService) corsRules(account string) []corsRule {
	q.mu.Lock()
	body, ok := q.properties[account]
	q.mu.Unlock()
	if !ok {
		return nil
	}
	var p serviceProperties
	if err := xml.Unmarshal(body, &p); err != nil {
		return nil // stored only after parseServiceProperties accepted it
	}
	return p.corsRules()
}

func (q *QueueService) preflight(w http.ResponseWriter, r *Request) error {
	if err := checkPreflight(r); err != nil {
		return err
	}
	return answerPreflight(w, r, q.corsRules(r.Account.Name))
}
