package rest

import (
	"net/http"

	"github.com/funcemu/funcemu/emulator/storage"
)

// setBlobTier is Set Blob Tier. Moving out of Archive answers 202 as
// Azure does, but the blob is readable at once (see storage.SetBlobTier).
func (b *BlobService) setBlobTier(w http.ResponseWriter, r *Request) error {
	tier := r.Header().Get("x-ms-access-tier")
	if tier == "" {
		return errMissingHeader("x-ms-access-tier")
	}
	if p := r.Header().Get("x-ms-rehydrate-priority"); p != "" && p != "High" && p != "Standard" {
		return errInvalidHeader("x-ms-rehydrate-priority", p, "High or Standard")
	}
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	rehydrating, err := b.store.SetBlobTier(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), tier, cond)
	if err != nil {
		return err
	}
	if rehydrating {
		w.WriteHeader(http.StatusAccepted)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// setTierHeaders writes the access tier of a block blob's properties.
func setTierHeaders(h http.Header, b storage.Blob) {
	if b.Type != storage.BlockBlob {
		return
	}
	if b.AccessTier == "" {
		h.Set("x-ms-access-tier", storage.TierHot)
		h.Set("x-ms-access-tier-inferred", "true")
		return
	}
	h.Set("x-ms-access-tier", b.AccessTier)
	h.Set("x-ms-access-tier-change-time", httpTime(b.AccessTierChanged))
}

// sealBlob is Seal (append blobs).
func (b *BlobService) sealBlob(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	pos, err := optionalInt64Header(r.Header(), "x-ms-blob-condition-appendpos")
	if err != nil {
		return err
	}
	blob, err := b.store.SealAppendBlob(r.Context(), r.Account.Name, r.Resource, r.Name, cond, pos)
	if err != nil {
		return err
	}
	setETag(w.Header(), blob.ETag, blob.LastModified)
	w.Header().Set("x-ms-blob-sealed", "true")
	w.WriteHeader(http.StatusOK)
	return nil
}
