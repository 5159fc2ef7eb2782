package rest

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator/storage"
)

// QueueService is the Queue service over the store.
type QueueService struct {
	store *storage.Store

	mu sync.Mutex
	// properties holds each account's Set Service Properties body; the
	// emulator keeps no logs or metrics, so they are only echoed back.
	properties map[string][]byte
}

// NewQueueService returns the Queue service for NewServer.
func NewQueueService(store *storage.Store) *QueueService {
	return &QueueService{store: store, properties: map[string][]byte{}}
}

// Kind names the service.
func (q *QueueService) Kind() string { return "queue" }

// AllowAnonymous is always false: queues have no public access.
func (q *QueueService) AllowAnonymous(*Request, *Operation) bool { return false }

// StoredPolicy looks up a queue's signed identifier.
func (q *QueueService) StoredPolicy(ctx context.Context, account, queue, id string) (*AccessPolicy, error) {
	ids, err := q.store.GetQueueACL(ctx, account, queue)
	if err != nil {
		return nil, err
	}
	return policyWithID(ids, id)
}

// policyWithID is the stored access policy named id, nil when none is.
func policyWithID(ids []storage.SignedIdentifier, id string) (*AccessPolicy, error) {
	for _, si := range ids {
		if si.ID == id {
			return accessPolicyOf(si)
		}
	}
	return nil, nil
}

func accessPolicyOf(si storage.SignedIdentifier) (*AccessPolicy, error) {
	p := &AccessPolicy{Permissions: si.Permission}
	var err error
	if si.Start != "" {
		if p.Start, err = ParseSASTime(si.Start); err != nil {
			return nil, errAuthFailed("Stored access policy " + si.ID + " start " + err.Error())
		}
	}
	if si.Expiry != "" {
		if p.Expiry, err = ParseSASTime(si.Expiry); err != nil {
			return nil, errAuthFailed("Stored access policy " + si.ID + " expiry " + err.Error())
		}
	}
	return p, nil
}

// route maps a request to its queue operation (Route adds CORS).
func (q *QueueService) route(r *Request) (*Operation, error) {
	m := r.HTTP.Method
	comp := r.Param("comp")
	switch {
	case r.Resource == "":
		return q.routeService(r, m, comp)
	case r.Name == "":
		return q.routeQueue(m, comp)
	case r.Name == "messages":
		switch m {
		case http.MethodPost:
			return &Operation{Name: "PutMessage", Level: LevelObject, AccountPerms: "a", ServicePerms: "a", Handle: q.putMessage}, nil
		case http.MethodGet:
			if strings.EqualFold(r.Param("peekonly"), "true") {
				return &Operation{Name: "PeekMessages", Level: LevelObject, AccountPerms: "r", ServicePerms: "r", Handle: q.peekMessages}, nil
			}
			return &Operation{Name: "GetMessages", Level: LevelObject, AccountPerms: "p", ServicePerms: "p", Handle: q.getMessages}, nil
		case http.MethodDelete:
			return &Operation{Name: "ClearMessages", Level: LevelObject, AccountPerms: "d", ServicePerms: "p", Handle: q.clearMessages}, nil
		}
	case strings.HasPrefix(r.Name, "messages/") && !strings.Contains(r.Name[len("messages/"):], "/"):
		switch m {
		case http.MethodPut:
			return &Operation{Name: "UpdateMessage", Level: LevelObject, AccountPerms: "u", ServicePerms: "u", Handle: q.updateMessage}, nil
		case http.MethodDelete:
			return &Operation{Name: "DeleteMessage", Level: LevelObject, AccountPerms: "p", ServicePerms: "p", Handle: q.deleteMessage}, nil
		}
	default:
		return nil, errorf(http.StatusBadRequest, "InvalidUri",
			"The requested URI does not represent any resource on the server. (%s)", r.RawPath)
	}
	return nil, errUnsupportedOperation(m + " " + r.RawPath)
}

func (q *QueueService) routeService(r *Request, m, comp string) (*Operation, error) {
	switch {
	case comp == "list" && m == http.MethodGet:
		return &Operation{Name: "ListQueues", Level: LevelService, AccountPerms: "l", Handle: q.listQueues}, nil
	case comp == "properties" && strings.EqualFold(r.Param("restype"), "service"):
		switch m {
		case http.MethodGet:
			return &Operation{Name: "GetServiceProperties", Level: LevelService, AccountPerms: "r", Handle: q.getServiceProperties}, nil
		case http.MethodPut:
			return &Operation{Name: "SetServiceProperties", Level: LevelService, AccountPerms: "w", Handle: q.setServiceProperties}, nil
		}
	case comp == "stats" && m == http.MethodGet:
		return &Operation{Name: "GetServiceStats", Level: LevelService, AccountPerms: "r", Handle: serviceStats}, nil
	case comp != "" && comp != "list" && comp != "properties":
		return nil, errInvalidQueryParameter("comp", comp, "not a queue service operation")
	}
	return nil, errUnsupportedOperation(m + " on the queue service")
}

func (q *QueueService) routeQueue(m, comp string) (*Operation, error) {
	switch comp {
	case "":
		switch m {
		case http.MethodPut:
			return &Operation{Name: "CreateQueue", Level: LevelContainer, AccountPerms: "cw", Handle: q.createQueue}, nil
		case http.MethodDelete:
			return &Operation{Name: "DeleteQueue", Level: LevelContainer, AccountPerms: "d", Handle: q.deleteQueue}, nil
		}
	case "metadata":
		switch m {
		case http.MethodGet, http.MethodHead:
			return &Operation{Name: "GetQueueMetadata", Level: LevelContainer, AccountPerms: "r", ServicePerms: "r", Handle: q.getMetadata}, nil
		case http.MethodPut:
			return &Operation{Name: "SetQueueMetadata", Level: LevelContainer, AccountPerms: "w", Handle: q.setMetadata}, nil
		}
	case "acl":
		switch m {
		case http.MethodGet, http.MethodHead:
			return &Operation{Name: "GetQueueACL", Level: LevelContainer, AccountPerms: "r", Handle: q.getACL}, nil
		case http.MethodPut:
			return &Operation{Name: "SetQueueACL", Level: LevelContainer, AccountPerms: "w", Handle: q.setACL}, nil
		}
	default:
		return nil, errInvalidQueryParameter("comp", comp, "not a queue operation")
	}
	return nil, errUnsupportedOperation(m + " with comp=" + comp)
}
