package storage

import (
	"context"
	"fmt"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

func TestContainerLifecycle(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, clock *clock.Virtual) {
		ctx := context.Background()
		c, err := s.CreateContainer(ctx, acct, "photos", ContainerOptions{Metadata: map[string]string{"owner": "me"}, PublicAccess: PublicBlob})
		if err != nil {
			t.Fatal(err)
		}
		if c.ETag == "" || c.Lease.State != LeaseAvailable || c.Lease.Status != "unlocked" {
			t.Fatalf("created container = %+v", c)
		}
		_, err = s.CreateContainer(ctx, acct, "photos", ContainerOptions{})
		wantErr(t, err, ErrContainerAlreadyExists)
		// Same name in another account is another container.
		if _, err := s.CreateContainer(ctx, "other", "photos", ContainerOptions{}); err != nil {
			t.Fatal(err)
		}

		got, err := s.GetContainer(ctx, acct, "photos", Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Metadata["owner"] != "me" || got.PublicAccess != PublicBlob {
			t.Fatalf("get = %+v", got)
		}
		clock.Advance(2e9)
		upd, err := s.SetContainerMetadata(ctx, acct, "photos", map[string]string{"k": "v"}, Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		if upd.ETag == c.ETag || upd.Metadata["k"] != "v" || upd.Metadata["owner"] != "" {
			t.Fatalf("after set metadata = %+v", upd)
		}
		_, err = s.SetContainerMetadata(ctx, acct, "photos", nil, Conditions{IfUnmodifiedSince: c.LastModified})
		wantErr(t, err, ErrConditionNotMet)
		_, err = s.SetContainerMetadata(ctx, acct, "photos", nil, Conditions{IfMatch: upd.ETag})
		wantErr(t, err, ErrUnsupportedHeader)
		_, err = s.SetContainerMetadata(ctx, acct, "photos", map[string]string{"1bad": "x"}, Conditions{})
		wantErr(t, err, ErrInvalidMetadata)

		pol := []SignedIdentifier{{ID: "read-all", Start: "2026-11-27T00:00:00Z", Expiry: "2026-11-28T00:00:00Z", Permission: "r"}}
		if _, err := s.SetContainerACL(ctx, acct, "photos", PublicContainer, pol, Conditions{}); err != nil {
			t.Fatal(err)
		}
		p, ok, err := s.ContainerAccessPolicy(ctx, acct, "photos", "read-all")
		if err != nil || !ok || p.Permission != "r" {
			t.Fatalf("policy = %+v %v %v", p, ok, err)
		}
		if _, ok, _ := s.ContainerAccessPolicy(ctx, acct, "nope", "read-all"); ok {
			t.Fatal("policy found on a missing container")
		}
		if pa, _ := s.ContainerPublicAccess(ctx, acct, "photos"); pa != PublicContainer {
			t.Fatalf("public access = %q", pa)
		}
		six := make([]SignedIdentifier, 6)
		for i := range six {
			six[i].ID = fmt.Sprint("id", i)
		}
		_, err = s.SetContainerACL(ctx, acct, "photos", "", six, Conditions{})
		wantErr(t, err, ErrInvalidXML)

		if err := s.DeleteContainer(ctx, acct, "photos", Conditions{}); err != nil {
			t.Fatal(err)
		}
		_, err = s.GetContainer(ctx, acct, "photos", Conditions{})
		wantErr(t, err, ErrContainerNotFound)
		wantErr(t, s.DeleteContainer(ctx, acct, "photos", Conditions{}), ErrContainerNotFound)
	})
}

func TestContainerNamesValidated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"abc", true}, {"a-b-c1", true}, {"$root", true}, {"ab", false}, {"Abc", false},
		{"a--b", false}, {"-ab", false}, {"ab-", false}, {"a_b", false}, {string(make([]byte, 64)), false},
	} {
		err := ValidContainerName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidContainerName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestListContainersPages(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		for _, n := range []string{"a-1", "a-2", "a-3", "b-1"} {
			mustContainer(t, s, n)
		}
		page, err := s.ListContainers(ctx, acct, ListOptions{Prefix: "a-", MaxResults: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Containers) != 2 || page.Containers[0].Name != "a-1" || page.NextMarker != "a-3" {
			t.Fatalf("page 1 = %+v", page)
		}
		page, err = s.ListContainers(ctx, acct, ListOptions{Prefix: "a-", MaxResults: 2, Marker: page.NextMarker})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Containers) != 1 || page.Containers[0].Name != "a-3" || page.NextMarker != "" {
			t.Fatalf("page 2 = %+v", page)
		}
	})
}

func TestContainerLease(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, clock *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "locked")
		res, err := s.LeaseContainer(ctx, acct, "locked", LeaseRequest{Action: LeaseAcquire, Duration: -1}, Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, s.DeleteContainer(ctx, acct, "locked", Conditions{}), ErrLeaseIDMissing)
		wantErr(t, s.DeleteContainer(ctx, acct, "locked", Conditions{LeaseID: "00000000-0000-0000-0000-000000000000"}), ErrContainerLeaseMismatch)
		c, _ := s.GetContainer(ctx, acct, "locked", Conditions{})
		if c.Lease != (LeaseInfo{State: LeaseLeased, Status: "locked", Duration: "infinite"}) {
			t.Fatalf("lease = %+v", c.Lease)
		}
		if err := s.DeleteContainer(ctx, acct, "locked", Conditions{LeaseID: res.ID}); err != nil {
			t.Fatal(err)
		}
	})
}
