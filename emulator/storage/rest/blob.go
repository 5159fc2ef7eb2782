package rest

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator/storage"
)

// BlobService is the Blob service over the store.
type BlobService struct {
	store *storage.Store
	// properties caches each account's parsed service properties (see
	// corsRules); it lives and goes with the service.
	properties sync.Map // account -> *serviceProperties
}

// NewBlobService returns the Blob service for NewServer. It should be the
// only writer of the store's blob service properties, which it caches.
func NewBlobService(store *storage.Store) *BlobService { return &BlobService{store: store} }

// Kind names the service.
func (b *BlobService) Kind() string { return "blob" }

// StoredPolicy looks up a container's signed identifier.
func (b *BlobService) StoredPolicy(ctx context.Context, account, container, id string) (*AccessPolicy, error) {
	si, ok, err := b.store.ContainerAccessPolicy(ctx, account, container, id)
	if err != nil || !ok {
		return nil, err
	}
	return accessPolicyOf(si)
}

// AllowAnonymous lets reads of public containers through: blobs of "blob"
// and "container" containers, and the container itself (properties, list)
// of "container" ones.
func (b *BlobService) AllowAnonymous(r *Request, op *Operation) bool {
	if r.Resource == "" || (r.HTTP.Method != http.MethodGet && r.HTTP.Method != http.MethodHead) {
		return false
	}
	access, err := b.store.ContainerPublicAccess(r.Context(), r.Account.Name, r.Resource)
	if err != nil {
		return false
	}
	if op.Level == LevelObject {
		return access == storage.PublicBlob || access == storage.PublicContainer
	}
	return access == storage.PublicContainer && op.Level == LevelContainer && op.Name != "GetContainerACL"
}

// op builds an operation wrapped so CORS rules apply to its answer.
func (b *BlobService) op(name string, level Level, accountPerms, servicePerms string, h func(http.ResponseWriter, *Request) error) *Operation {
	return &Operation{Name: name, Level: level, AccountPerms: accountPerms, ServicePerms: servicePerms,
		Handle: func(w http.ResponseWriter, r *Request) error {
			b.applyCORS(w, r)
			return h(w, r)
		}}
}

// Route maps a request to its blob operation.
func (b *BlobService) Route(r *Request) (*Operation, error) {
	// Blob changes carry the request's ids into their Event Grid events.
	r.HTTP = r.HTTP.WithContext(storage.WithRequestIDs(r.HTTP.Context(), r.ID, r.HTTP.Header.Get("x-ms-client-request-id")))
	m := r.HTTP.Method
	if m == http.MethodOptions {
		return &Operation{Name: "Preflight", Level: LevelService, Public: true, Handle: b.preflight}, nil
	}
	comp := strings.ToLower(r.Param("comp"))
	restype := strings.ToLower(r.Param("restype"))
	switch {
	case r.Resource == "":
		return b.routeService(m, comp, restype)
	case r.Name == "":
		return b.routeContainer(r, m, comp, restype)
	}
	return b.routeBlob(r, m, comp)
}

func (b *BlobService) routeService(m, comp, restype string) (*Operation, error) {
	switch {
	case comp == "list" && m == http.MethodGet:
		return b.op("ListContainers", LevelService, "l", "", b.listContainers), nil
	case comp == "properties" && restype == "service" && m == http.MethodGet:
		return b.op("GetBlobServiceProperties", LevelService, "r", "", b.getServiceProperties), nil
	case comp == "properties" && restype == "service" && m == http.MethodPut:
		return b.op("SetBlobServiceProperties", LevelService, "w", "", b.setServiceProperties), nil
	case comp == "properties" && restype == "account" && (m == http.MethodGet || m == http.MethodHead):
		return b.op("GetAccountInfo", LevelService, "r", "", b.accountInfo), nil
	case comp == "blobs" && m == http.MethodGet:
		return b.op("FindBlobsByTags", LevelService, "f", "", b.findBlobs), nil
	case comp == "batch" && m == http.MethodPost:
		// Each sub-request is authorized on its own; any permission lets
		// the batch itself through.
		return b.op("SubmitBatch", LevelService, batchPerms, "", b.submitBatch), nil
	case comp == "stats" && m == http.MethodGet:
		return b.op("GetBlobServiceStats", LevelService, "r", "", serviceStats), nil
	case comp == "userdelegationkey" && m == http.MethodPost:
		return b.op("GetUserDelegationKey", LevelService, "", "", b.getUserDelegationKey), nil
	}
	return nil, errUnsupportedOperation(m + " on the blob service with comp=" + comp + " restype=" + restype)
}

func (b *BlobService) routeContainer(r *Request, m, comp, restype string) (*Operation, error) {
	if restype != "container" {
		if m == http.MethodGet || m == http.MethodHead {
			return nil, errInvalidQueryParameter("restype", r.Param("restype"), "container operations need restype=container; blobs in $root are not supported")
		}
		return nil, errInvalidQueryParameter("restype", r.Param("restype"), "container operations need restype=container")
	}
	get := m == http.MethodGet || m == http.MethodHead
	switch {
	case comp == "" && m == http.MethodPut:
		return b.op("CreateContainer", LevelContainer, "cw", "", b.createContainer), nil
	case comp == "" && get:
		// A service SAS reads blobs, never the container's own properties.
		return b.op("GetContainerProperties", LevelContainer, "r", "", b.getContainer), nil
	case comp == "" && m == http.MethodDelete:
		return b.op("DeleteContainer", LevelContainer, "d", "", b.deleteContainer), nil
	case comp == "metadata" && get:
		return b.op("GetContainerMetadata", LevelContainer, "r", "", b.getContainer), nil
	case comp == "metadata" && m == http.MethodPut:
		return b.op("SetContainerMetadata", LevelContainer, "w", "w", b.setContainerMetadata), nil
	case comp == "acl" && get:
		return b.op("GetContainerACL", LevelContainer, "r", "", b.getContainerACL), nil
	case comp == "acl" && m == http.MethodPut:
		return b.op("SetContainerACL", LevelContainer, "w", "", b.setContainerACL), nil
	case comp == "lease" && m == http.MethodPut:
		return b.op("LeaseContainer", LevelContainer, "w", "w", b.leaseContainer), nil
	case comp == "list" && m == http.MethodGet:
		return b.op("ListBlobs", LevelContainer, "l", "l", b.listBlobs), nil
	case comp == "blobs" && m == http.MethodGet:
		return b.op("FindBlobsByTags", LevelContainer, "f", "f", b.findBlobs), nil
	case comp == "batch" && m == http.MethodPost:
		return b.op("SubmitBatch", LevelContainer, batchPerms, batchPerms, b.submitBatch), nil
	case comp == "batch", comp == "undelete", comp == "rename", comp == "filter":
		return nil, errNotImplemented("The container operation comp=" + comp)
	}
	return nil, errUnsupportedOperation(m + " on a container with comp=" + comp)
}

func (b *BlobService) routeBlob(r *Request, m, comp string) (*Operation, error) {
	switch m {
	case http.MethodPut:
		switch comp {
		case "":
			if r.Header().Get("x-ms-copy-source") != "" {
				if r.Header().Get("x-ms-blob-type") != "" {
					return b.op("PutBlobFromURL", LevelObject, "cw", "cw", b.fromURL(b.putBlob)), nil
				}
				return b.op("CopyBlob", LevelObject, "cw", "cw", b.copyBlob), nil
			}
			return b.op("PutBlob", LevelObject, "cw", "cw", b.putBlob), nil
		case "block":
			if r.Header().Get("x-ms-copy-source") != "" {
				return b.op("PutBlockFromURL", LevelObject, "w", "w", b.fromURL(b.putBlock)), nil
			}
			return b.op("PutBlock", LevelObject, "w", "w", b.putBlock), nil
		case "blocklist":
			return b.op("PutBlockList", LevelObject, "w", "w", b.putBlockList), nil
		case "appendblock":
			if r.Header().Get("x-ms-copy-source") != "" {
				return b.op("AppendBlockFromURL", LevelObject, "aw", "aw", b.fromURL(b.appendBlock)), nil
			}
			return b.op("AppendBlock", LevelObject, "aw", "aw", b.appendBlock), nil
		case "metadata":
			return b.op("SetBlobMetadata", LevelObject, "w", "w", b.setBlobMetadata), nil
		case "properties":
			return b.op("SetBlobProperties", LevelObject, "w", "w", b.setBlobProperties), nil
		case "lease":
			return b.op("LeaseBlob", LevelObject, "w", "w", b.leaseBlob), nil
		case "snapshot":
			return b.op("SnapshotBlob", LevelObject, "cw", "cw", b.snapshotBlob), nil
		case "tags":
			return b.op("SetBlobTags", LevelObject, "t", "t", b.setBlobTags), nil
		case "tier":
			return b.op("SetBlobTier", LevelObject, "w", "w", b.setBlobTier), nil
		case "seal":
			return b.op("SealBlob", LevelObject, "w", "w", b.sealBlob), nil
		case "page":
			if r.Header().Get("x-ms-copy-source") != "" {
				return b.op("PutPageFromURL", LevelObject, "w", "w", b.fromURL(b.putPage)), nil
			}
			return b.op("PutPage", LevelObject, "w", "w", b.putPage), nil
		case "copy":
			return b.op("AbortCopyBlob", LevelObject, "w", "w", b.abortCopy), nil
		case "incrementalcopy", "immutabilitypolicies", "legalhold", "expiry":
			return nil, errNotImplemented("The blob operation comp=" + comp)
		}
	case http.MethodGet, http.MethodHead:
		switch comp {
		case "":
			if m == http.MethodHead {
				return b.op("GetBlobProperties", LevelObject, "r", "r", b.getBlobProperties), nil
			}
			return b.op("GetBlob", LevelObject, "r", "r", b.getBlob), nil
		case "blocklist":
			return b.op("GetBlockList", LevelObject, "r", "r", b.getBlockList), nil
		case "metadata":
			return b.op("GetBlobMetadata", LevelObject, "r", "r", b.getBlobProperties), nil
		case "tags":
			return b.op("GetBlobTags", LevelObject, "t", "t", b.getBlobTags), nil
		case "pagelist":
			return b.op("GetPageRanges", LevelObject, "r", "r", b.getPageRanges), nil
		case "query":
			return nil, errNotImplemented("The blob operation comp=" + comp)
		}
	case http.MethodDelete:
		if comp == "" {
			return b.op("DeleteBlob", LevelObject, "d", "d", b.deleteBlob), nil
		}
		if comp == "immutabilitypolicies" || comp == "legalhold" {
			return nil, errNotImplemented("The blob operation comp=" + comp)
		}
	case http.MethodPost:
		if comp == "query" {
			return nil, errNotImplemented("Query Blob Contents")
		}
	}
	return nil, errUnsupportedOperation(m + " on a blob with comp=" + comp)
}
