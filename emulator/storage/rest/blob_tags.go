package rest

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// maxTagsBody bounds a Set Blob Tags body: ten tags of at most 384
// characters each fit many times over.
const maxTagsBody = 64 << 10

type tagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type tagsXML struct {
	XMLName xml.Name `xml:"Tags"`
	TagSet  []tagXML `xml:"TagSet>Tag"`
}

// tagSetXML is the <Tags> element of listings, with the tags in key order.
func tagSetXML(t storage.Tags) *tagsXML {
	x := &tagsXML{TagSet: []tagXML{}}
	for _, k := range t.Keys() {
		x.TagSet = append(x.TagSet, tagXML{Key: k, Value: t[k]})
	}
	return x
}

// parseTagsHeader reads x-ms-tags: query-string-encoded key=value pairs.
// nil when absent.
func parseTagsHeader(h http.Header) (storage.Tags, error) {
	v := h.Get("x-ms-tags")
	if v == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(v)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "InvalidTag", "The tags specified are invalid. It contains characters that are not permitted. (x-ms-tags: %v)", err)
	}
	tags := storage.Tags{}
	for k, vs := range q {
		if len(vs) > 1 {
			return nil, errorf(http.StatusBadRequest, "InvalidTag", "The tags specified are invalid. (x-ms-tags names %q more than once)", k)
		}
		tags[k] = vs[0]
	}
	return tags, storage.ValidateTags(tags)
}

// parseIfTags reads x-ms-if-tags; nil when absent.
func parseIfTags(h http.Header) (*storage.TagExpr, error) {
	v := h.Get("x-ms-if-tags")
	if v == "" {
		return nil, nil
	}
	e, err := storage.ParseTagExpr(v, storage.TagGrammarCondition)
	if err != nil {
		return nil, errInvalidHeader("x-ms-if-tags", v, err.Error())
	}
	return e, nil
}

// copyTagOption reads x-ms-copy-source-tag-option: COPY takes the
// source's tags (and then x-ms-tags must be absent), REPLACE (the
// default) takes x-ms-tags.
func copyTagOption(h http.Header, tags storage.Tags) (bool, error) {
	switch v := h.Get("x-ms-copy-source-tag-option"); strings.ToUpper(v) {
	case "", "REPLACE":
		return false, nil
	case "COPY":
		if tags != nil {
			return false, errInvalidHeader("x-ms-tags", h.Get("x-ms-tags"), "not allowed with x-ms-copy-source-tag-option: COPY")
		}
		return true, nil
	default:
		return false, errInvalidHeader("x-ms-copy-source-tag-option", v, "COPY or REPLACE")
	}
}

func (b *BlobService) getBlobTags(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	tags, err := b.store.GetBlobTags(r.Context(), r.Account.Name, r.Resource, r.Name, r.Param("snapshot"), cond)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, tagSetXML(tags))
}

func (b *BlobService) setBlobTags(w http.ResponseWriter, r *Request) error {
	if r.HasParam("snapshot") {
		return errInvalidQueryParameter("snapshot", r.Param("snapshot"), "tags cannot be set on a snapshot")
	}
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	body, err := readBody(r, maxTagsBody)
	if err != nil {
		return err
	}
	var doc tagsXML
	if err := decodeXML(body, &doc, "Tags"); err != nil {
		return err
	}
	tags := storage.Tags{}
	for _, t := range doc.TagSet {
		if _, dup := tags[t.Key]; dup {
			return errorf(http.StatusBadRequest, "InvalidTag", "The tags specified are invalid. (key %q appears more than once)", t.Key)
		}
		tags[t.Key] = t.Value
	}
	if err := b.store.SetBlobTags(r.Context(), r.Account.Name, r.Resource, r.Name, tags, cond); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type filterBlobsXML struct {
	XMLName         xml.Name        `xml:"EnumerationResults"`
	ServiceEndpoint string          `xml:"ServiceEndpoint,attr"`
	ContainerName   string          `xml:"ContainerName,attr,omitempty"`
	Where           string          `xml:"Where"`
	Blobs           []filterBlobXML `xml:"Blobs>Blob"`
	NextMarker      string          `xml:"NextMarker"`
}

type filterBlobXML struct {
	Name          string   `xml:"Name"`
	ContainerName string   `xml:"ContainerName"`
	Tags          *tagsXML `xml:"Tags"`
}

// findBlobs is Find Blobs by Tags, at account level or (r.Resource set)
// in one container.
func (b *BlobService) findBlobs(w http.ResponseWriter, r *Request) error {
	where := r.Param("where")
	expr, err := storage.ParseTagExpr(where, storage.TagGrammarFind)
	if err != nil {
		return errInvalidQueryParameter("where", where, err.Error())
	}
	max, err := intParam(r, "maxresults", 5000, 1, 5000)
	if err != nil {
		return err
	}
	page, err := b.store.FindBlobsByTags(r.Context(), r.Account.Name, r.Resource, expr, r.Param("marker"), int(max))
	if err != nil {
		return err
	}
	doc := filterBlobsXML{ServiceEndpoint: serviceEndpoint(r), ContainerName: r.Resource, Where: where,
		Blobs: []filterBlobXML{}, NextMarker: page.NextMarker}
	for _, tb := range page.Blobs {
		doc.Blobs = append(doc.Blobs, filterBlobXML{Name: tb.Name, ContainerName: tb.Container, Tags: tagSetXML(tb.Tags)})
	}
	return writeXML(w, http.StatusOK, doc)
}

// tagCountHeader writes x-ms-tag-count when the blob has tags, as Azure
// does.
func tagCountHeader(h http.Header, n int) {
	if n > 0 {
		h["X-Ms-Tag-Count"] = []string{strconv.Itoa(n)}
	}
}
