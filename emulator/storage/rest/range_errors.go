package rest

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/funcemu/funcemu/emulator/storage"
)

// withUnsatisfiedRange adds Content-Range: bytes */<size> to a 416
// InvalidRange answer, as Azure sends it (a range on a 0-byte blob answers
// "bytes */0"), so a client learns the size it can ask for.
func (b *BlobService) withUnsatisfiedRange(r *Request, err error) error {
	if !errors.Is(err, storage.ErrRangeNotSatisfiable) {
		return err
	}
	blob, perr := b.store.GetBlobProperties(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), storage.Conditions{})
	if perr != nil {
		return err
	}
	e, _ := toAPIError(err)
	e.Header = http.Header{"Content-Range": {"bytes */" + strconv.FormatInt(blob.Size, 10)}}
	return e
}
