package storage

// DefaultContentType is what Azure stores for a blob written without a
// content type. It is stored, not assumed on reading, because Set Blob
// Properties without x-ms-blob-content-type clears the type and Azure then
// answers none.
const DefaultContentType = "application/octet-stream"

func withDefaultContentType(h BlobHeaders) BlobHeaders {
	if h.ContentType == "" {
		h.ContentType = DefaultContentType
	}
	return h
}
