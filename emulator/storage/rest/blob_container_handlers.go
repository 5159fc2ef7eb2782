package rest

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

func (b *BlobService) createContainer(w http.ResponseWriter, r *Request) error {
	md, err := metadataFromHeaders(r.Header())
	if err != nil {
		return err
	}
	c, err := b.store.CreateContainer(r.Context(), r.Account.Name, r.Resource, storage.ContainerOptions{
		Metadata: md, PublicAccess: strings.ToLower(r.Header().Get("x-ms-blob-public-access"))})
	if err != nil {
		return err
	}
	setETag(w.Header(), c.ETag, c.LastModified)
	w.WriteHeader(http.StatusCreated)
	return nil
}

// leasedContainer reads the request's container, honouring its
// x-ms-lease-id condition: what the container's GET operations share.
func (b *BlobService) leasedContainer(r *Request) (storage.Container, error) {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return storage.Container{}, err
	}
	return b.store.GetContainer(r.Context(), r.Account.Name, r.Resource, storage.Conditions{LeaseID: cond.LeaseID})
}

func (b *BlobService) getContainer(w http.ResponseWriter, r *Request) error {
	c, err := b.leasedContainer(r)
	if err != nil {
		return err
	}
	h := w.Header()
	setETag(h, c.ETag, c.LastModified)
	setMetadataHeaders(h, c.Metadata)
	setLeaseHeaders(h, c.Lease)
	if c.PublicAccess != "" {
		h.Set("x-ms-blob-public-access", c.PublicAccess)
	}
	h.Set("x-ms-has-immutability-policy", "false")
	h.Set("x-ms-has-legal-hold", "false")
	h.Set("x-ms-default-encryption-scope", "$account-encryption-key")
	h.Set("x-ms-deny-encryption-scope-override", "false")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (b *BlobService) deleteContainer(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	if err := b.store.DeleteContainer(r.Context(), r.Account.Name, r.Resource, cond); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (b *BlobService) setContainerMetadata(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	md, err := metadataFromHeaders(r.Header())
	if err != nil {
		return err
	}
	c, err := b.store.SetContainerMetadata(r.Context(), r.Account.Name, r.Resource, md, cond)
	if err != nil {
		return err
	}
	setETag(w.Header(), c.ETag, c.LastModified)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (b *BlobService) getContainerACL(w http.ResponseWriter, r *Request) error {
	c, err := b.leasedContainer(r)
	if err != nil {
		return err
	}
	h := w.Header()
	setETag(h, c.ETag, c.LastModified)
	if c.PublicAccess != "" {
		h.Set("x-ms-blob-public-access", c.PublicAccess)
	}
	return writeXML(w, http.StatusOK, signedIdentifiersBody(c.AccessPolicies))
}

func (b *BlobService) setContainerACL(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	body, err := readBody(r, 64<<10)
	if err != nil {
		return err
	}
	ids, err := parseACLBody(body, blobPolicyLetters)
	if err != nil {
		return err
	}
	access := strings.ToLower(r.Header().Get("x-ms-blob-public-access"))
	c, err := b.store.SetContainerACL(r.Context(), r.Account.Name, r.Resource, access, ids, cond)
	if err != nil {
		return err
	}
	setETag(w.Header(), c.ETag, c.LastModified)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (b *BlobService) leaseContainer(w http.ResponseWriter, r *Request) error {
	cond, err := parseConditions(r.Header())
	if err != nil {
		return err
	}
	req, err := leaseRequest(r.Header())
	if err != nil {
		return err
	}
	res, err := b.store.LeaseContainer(r.Context(), r.Account.Name, r.Resource, req, cond)
	if err != nil {
		return err
	}
	writeLeaseResult(w, req.Action, res)
	return nil
}

type containerListXML struct {
	XMLName         xml.Name           `xml:"EnumerationResults"`
	ServiceEndpoint string             `xml:"ServiceEndpoint,attr"`
	Prefix          string             `xml:"Prefix,omitempty"`
	Marker          string             `xml:"Marker,omitempty"`
	MaxResults      int                `xml:"MaxResults,omitempty"`
	Containers      []containerItemXML `xml:"Containers>Container"`
	NextMarker      string             `xml:"NextMarker"`
}

type containerItemXML struct {
	Name       string `xml:"Name"`
	Properties struct {
		LastModified          string `xml:"Last-Modified"`
		Etag                  string `xml:"Etag"`
		LeaseStatus           string `xml:"LeaseStatus"`
		LeaseState            string `xml:"LeaseState"`
		LeaseDuration         string `xml:"LeaseDuration,omitempty"`
		PublicAccess          string `xml:"PublicAccess,omitempty"`
		HasImmutabilityPolicy bool   `xml:"HasImmutabilityPolicy"`
		HasLegalHold          bool   `xml:"HasLegalHold"`
	} `xml:"Properties"`
	// Set, empty or not, when the listing includes metadata: Azure then
	// writes <Metadata /> for a container without any.
	Metadata *metadataXML `xml:"Metadata,omitempty"`
}

// listOptions reads prefix, marker and maxresults (1..5000).
func listOptions(r *Request) (storage.ListOptions, error) {
	max, err := intParam(r, "maxresults", 5000, 1, 5000)
	if err != nil {
		return storage.ListOptions{}, err
	}
	return storage.ListOptions{Prefix: r.Param("prefix"), Marker: r.Param("marker"), MaxResults: int(max)}, nil
}

// echoedMaxResults is the MaxResults element a listing repeats: the
// request's maxresults, or none when it had none, as Azure answers.
func echoedMaxResults(r *Request, o storage.ListOptions) int {
	if r.Param("maxresults") == "" {
		return 0
	}
	return o.MaxResults
}

// includes parses include=a,b,c against the allowed values.
func includes(r *Request, allowed ...string) (map[string]bool, error) {
	out := map[string]bool{}
	v := r.Param("include")
	if v == "" {
		return out, nil
	}
	for _, part := range strings.Split(v, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		ok := false
		for _, a := range allowed {
			ok = ok || a == part
		}
		if !ok {
			return nil, errInvalidQueryParameter("include", v, "unknown value "+part)
		}
		out[part] = true
	}
	return out, nil
}

func (b *BlobService) listContainers(w http.ResponseWriter, r *Request) error {
	opts, err := listOptions(r)
	if err != nil {
		return err
	}
	inc, err := includes(r, "metadata", "deleted", "system")
	if err != nil {
		return err
	}
	page, err := b.store.ListContainers(r.Context(), r.Account.Name, opts)
	if err != nil {
		return err
	}
	doc := containerListXML{ServiceEndpoint: serviceEndpoint(r), Prefix: opts.Prefix, Marker: opts.Marker,
		MaxResults: echoedMaxResults(r, opts), NextMarker: page.NextMarker, Containers: []containerItemXML{}}
	for _, c := range page.Containers {
		var it containerItemXML
		it.Name = c.Name
		p := &it.Properties
		p.LastModified, p.Etag = httpTime(c.LastModified), c.ETag
		p.LeaseStatus, p.LeaseState, p.LeaseDuration = c.Lease.Status, c.Lease.State, c.Lease.Duration
		p.PublicAccess = c.PublicAccess
		if inc["metadata"] {
			md := metadataXML(c.Metadata)
			it.Metadata = &md
		}
		doc.Containers = append(doc.Containers, it)
	}
	return writeListingXML(w, http.StatusOK, doc)
}

func (b *BlobService) accountInfo(w http.ResponseWriter, r *Request) error {
	h := w.Header()
	h.Set("x-ms-sku-name", "Standard_RAGRS")
	h.Set("x-ms-account-kind", "StorageV2")
	h.Set("x-ms-is-hns-enabled", "false")
	w.WriteHeader(http.StatusOK)
	return nil
}
