package rest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	blobsas "github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2/sas"
)

func forEachStore(t *testing.T, f func(t *testing.T, env *queueEnv)) {
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) { f(t, newQueueEnv(t, kind)) })
	}
}

func TestQueueCreateDeleteAndMetadata(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, env *queueEnv) {
		ctx := context.Background()
		q := env.client.NewQueueClient("orders")
		meta := map[string]*string{"owner": to.Ptr("team")}
		if _, err := q.Create(ctx, &azqueue.CreateOptions{Metadata: meta}); err != nil {
			t.Fatalf("create: %v", err)
		}
		// Same metadata again: 204, which the SDK reports as success.
		if _, err := q.Create(ctx, &azqueue.CreateOptions{Metadata: meta}); err != nil {
			t.Fatalf("create again with same metadata: %v", err)
		}
		_, err := q.Create(ctx, &azqueue.CreateOptions{Metadata: map[string]*string{"owner": to.Ptr("other")}})
		wantCode(t, err, 409, "QueueAlreadyExists")

		if _, err := q.SetMetadata(ctx, &azqueue.SetMetadataOptions{Metadata: map[string]*string{"a": to.Ptr("1"), "b": to.Ptr("2")}}); err != nil {
			t.Fatalf("set metadata: %v", err)
		}
		if _, err := q.EnqueueMessage(ctx, "one", nil); err != nil {
			t.Fatal(err)
		}
		props, err := q.GetProperties(ctx, nil)
		if err != nil {
			t.Fatalf("get properties: %v", err)
		}
		if props.ApproximateMessagesCount == nil || *props.ApproximateMessagesCount != 1 {
			t.Fatalf("approximate count = %v, want 1", props.ApproximateMessagesCount)
		}
		if len(props.Metadata) != 2 || props.Metadata["A"] == nil || *props.Metadata["A"] != "1" {
			t.Fatalf("metadata = %v, want a=1 b=2", props.Metadata)
		}

		if _, err := q.Delete(ctx, nil); err != nil {
			t.Fatalf("delete: %v", err)
		}
		_, err = q.Delete(ctx, nil)
		wantCode(t, err, 404, "QueueNotFound")
		_, err = q.GetProperties(ctx, nil)
		wantCode(t, err, 404, "QueueNotFound")
	})
}

func TestQueueNamesAreValidated(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	for _, name := range []string{"Upper", "a--b", "-ab", "ab-", "a_b"} {
		_, err := env.client.NewQueueClient(name).Create(context.Background(), nil)
		wantCode(t, err, 400, "InvalidResourceName")
	}
	for _, name := range []string{"ab", strings.Repeat("a", 64)} {
		_, err := env.client.NewQueueClient(name).Create(context.Background(), nil)
		wantCode(t, err, 400, "OutOfRangeInput")
	}
}

func TestListQueuesPagesWithPrefixAndMetadata(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, env *queueEnv) {
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			_, err := env.client.CreateQueue(ctx, fmt.Sprintf("jobs-%d", i), &azqueue.CreateOptions{Metadata: map[string]*string{"n": to.Ptr(fmt.Sprint(i))}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := env.client.CreateQueue(ctx, "other", nil); err != nil {
			t.Fatal(err)
		}
		pager := env.client.NewListQueuesPager(&azqueue.ListQueuesOptions{
			Prefix: to.Ptr("jobs-"), MaxResults: to.Ptr(int32(2)), Include: azqueue.ListQueuesInclude{Metadata: true},
		})
		var names []string
		pages := 0
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			pages++
			for _, q := range page.Queues {
				names = append(names, *q.Name)
				if q.Metadata["n"] == nil || *q.Metadata["n"] != strings.TrimPrefix(*q.Name, "jobs-") {
					t.Fatalf("queue %s metadata = %v", *q.Name, q.Metadata)
				}
			}
		}
		if got := strings.Join(names, ","); got != "jobs-0,jobs-1,jobs-2,jobs-3,jobs-4" || pages != 3 {
			t.Fatalf("listed %s in %d pages, want jobs-0..4 in 3", got, pages)
		}
	})
}

func TestMessagesLifecycle(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, env *queueEnv) {
		ctx := context.Background()
		q := env.client.NewQueueClient("work")
		if _, err := q.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"first", "second <&> third"} {
			if _, err := q.EnqueueMessage(ctx, text, nil); err != nil {
				t.Fatalf("enqueue: %v", err)
			}
			env.clock.Advance(time.Millisecond) // distinct insertion times
		}
		peek, err := q.PeekMessages(ctx, &azqueue.PeekMessagesOptions{NumberOfMessages: to.Ptr(int32(32))})
		if err != nil {
			t.Fatalf("peek: %v", err)
		}
		if len(peek.Messages) != 2 || *peek.Messages[0].MessageText != "first" || *peek.Messages[0].DequeueCount != 0 {
			t.Fatalf("peek = %+v", peek.Messages)
		}

		got, err := q.DequeueMessages(ctx, &azqueue.DequeueMessagesOptions{NumberOfMessages: to.Ptr(int32(1)), VisibilityTimeout: to.Ptr(int32(30))})
		if err != nil {
			t.Fatalf("dequeue: %v", err)
		}
		if len(got.Messages) != 1 || *got.Messages[0].MessageText != "first" || *got.Messages[0].DequeueCount != 1 {
			t.Fatalf("dequeue = %+v", got.Messages)
		}
		m := got.Messages[0]
		if want := env.clock.Now().Add(30 * time.Second); !m.TimeNextVisible.Equal(want.Truncate(time.Second)) {
			t.Fatalf("time next visible %v, want %v", m.TimeNextVisible, want)
		}

		// Hidden now: the next dequeue gets the second message only.
		got2, err := q.DequeueMessages(ctx, &azqueue.DequeueMessagesOptions{NumberOfMessages: to.Ptr(int32(32))})
		if err != nil || len(got2.Messages) != 1 || *got2.Messages[0].MessageText != "second <&> third" {
			t.Fatalf("second dequeue = %+v, %v", got2.Messages, err)
		}

		// After the visibility timeout the first comes back with a new receipt.
		env.clock.Advance(31 * time.Second)
		again, err := q.DequeueMessages(ctx, nil)
		if err != nil || len(again.Messages) != 1 || *again.Messages[0].MessageID != *m.MessageID || *again.Messages[0].DequeueCount != 2 {
			t.Fatalf("redelivery = %+v, %v", again.Messages, err)
		}
		_, err = q.DeleteMessage(ctx, *m.MessageID, *m.PopReceipt, nil)
		wantCode(t, err, 400, "PopReceiptMismatch")

		upd, err := q.UpdateMessage(ctx, *m.MessageID, *again.Messages[0].PopReceipt, "changed", &azqueue.UpdateMessageOptions{VisibilityTimeout: to.Ptr(int32(0))})
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		if upd.PopReceipt == nil || *upd.PopReceipt == *again.Messages[0].PopReceipt || upd.TimeNextVisible == nil {
			t.Fatalf("update answered receipt %v next visible %v", upd.PopReceipt, upd.TimeNextVisible)
		}
		_, err = q.DeleteMessage(ctx, *m.MessageID, *again.Messages[0].PopReceipt, nil)
		wantCode(t, err, 400, "PopReceiptMismatch")
		if _, err := q.DeleteMessage(ctx, *m.MessageID, *upd.PopReceipt, nil); err != nil {
			t.Fatalf("delete with new receipt: %v", err)
		}
		_, err = q.DeleteMessage(ctx, *m.MessageID, *upd.PopReceipt, nil)
		wantCode(t, err, 404, "MessageNotFound")

		if _, err := q.ClearMessages(ctx, nil); err != nil {
			t.Fatalf("clear: %v", err)
		}
		props, err := q.GetProperties(ctx, nil)
		if err != nil || *props.ApproximateMessagesCount != 0 {
			t.Fatalf("after clear: count %v, %v", props.ApproximateMessagesCount, err)
		}
	})
}

func TestUpdatedTextIsDelivered(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	q := env.client.NewQueueClient("upd")
	if _, err := q.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	put, err := q.EnqueueMessage(ctx, "old", nil)
	if err != nil {
		t.Fatal(err)
	}
	pm := put.Messages[0]
	if _, err := q.UpdateMessage(ctx, *pm.MessageID, *pm.PopReceipt, "new", &azqueue.UpdateMessageOptions{VisibilityTimeout: to.Ptr(int32(0))}); err != nil {
		t.Fatalf("update with the put receipt: %v", err)
	}
	got, err := q.DequeueMessage(ctx, nil)
	if err != nil || len(got.Messages) != 1 || *got.Messages[0].MessageText != "new" {
		t.Fatalf("dequeue = %+v, %v", got.Messages, err)
	}
}

func TestMessageTTLAndVisibilityDelay(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, env *queueEnv) {
		ctx := context.Background()
		q := env.client.NewQueueClient("ttl")
		if _, err := q.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		forever, err := q.EnqueueMessage(ctx, "forever", &azqueue.EnqueueMessageOptions{TimeToLive: to.Ptr(int32(-1))})
		if err != nil {
			t.Fatalf("enqueue ttl -1: %v", err)
		}
		if y := forever.Messages[0].ExpirationTime.Year(); y != 9999 {
			t.Fatalf("ttl -1 expires in %d, want 9999", y)
		}
		if _, err := q.EnqueueMessage(ctx, "short", &azqueue.EnqueueMessageOptions{TimeToLive: to.Ptr(int32(10))}); err != nil {
			t.Fatal(err)
		}
		if _, err := q.EnqueueMessage(ctx, "later", &azqueue.EnqueueMessageOptions{VisibilityTimeout: to.Ptr(int32(60))}); err != nil {
			t.Fatal(err)
		}
		env.clock.Advance(11 * time.Second) // "short" expired, "later" still hidden
		peek, err := q.PeekMessages(ctx, &azqueue.PeekMessagesOptions{NumberOfMessages: to.Ptr(int32(32))})
		if err != nil || len(peek.Messages) != 1 || *peek.Messages[0].MessageText != "forever" {
			t.Fatalf("peek = %+v, %v", peek.Messages, err)
		}
		env.clock.Advance(60 * time.Second)
		peek, err = q.PeekMessages(ctx, &azqueue.PeekMessagesOptions{NumberOfMessages: to.Ptr(int32(32))})
		if err != nil || len(peek.Messages) != 2 {
			t.Fatalf("peek after delay = %+v, %v", peek.Messages, err)
		}
	})
}

func TestMessageErrors(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	q := env.client.NewQueueClient("errs")
	if _, err := q.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, err := q.EnqueueMessage(ctx, strings.Repeat("x", 64<<10+1), nil)
	wantCode(t, err, 413, "RequestBodyTooLarge")
	if _, err := q.EnqueueMessage(ctx, strings.Repeat("x", 64<<10), nil); err != nil {
		t.Fatalf("a message of exactly 64 KiB: %v", err)
	}
	_, err = q.DequeueMessages(ctx, &azqueue.DequeueMessagesOptions{NumberOfMessages: to.Ptr(int32(33))})
	wantCode(t, err, 400, "OutOfRangeQueryParameterValue")
	_, err = q.EnqueueMessage(ctx, "x", &azqueue.EnqueueMessageOptions{VisibilityTimeout: to.Ptr(int32(8 * 24 * 3600))})
	wantCode(t, err, 400, "OutOfRangeQueryParameterValue")
	_, err = q.EnqueueMessage(ctx, "x", &azqueue.EnqueueMessageOptions{TimeToLive: to.Ptr(int32(10)), VisibilityTimeout: to.Ptr(int32(20))})
	wantCode(t, err, 400, "OutOfRangeInput")
	_, err = env.client.NewQueueClient("missing").EnqueueMessage(ctx, "x", nil)
	wantCode(t, err, 404, "QueueNotFound")
	_, err = q.DeleteMessage(ctx, "no-such-id", "AAAAAAAAAAAAAAAAAAAAAA", nil)
	wantCode(t, err, 404, "MessageNotFound")
	_, err = q.DeleteMessage(ctx, "no-such-id", "not-a-receipt", nil)
	wantCode(t, err, 400, "InvalidQueryParameterValue")
}

func TestQueueACLRoundTripAndStoredPolicySAS(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, env *queueEnv) {
		ctx := context.Background()
		q := env.client.NewQueueClient("acl")
		if _, err := q.Create(ctx, nil); err != nil {
			t.Fatal(err)
		}
		start := env.clock.Now().Add(-time.Hour).Truncate(time.Second)
		expiry := env.clock.Now().Add(time.Hour).Truncate(time.Second)
		_, err := q.SetAccessPolicy(ctx, &azqueue.SetAccessPolicyOptions{QueueACL: []*azqueue.SignedIdentifier{{
			ID:           to.Ptr("readers"),
			AccessPolicy: &azqueue.AccessPolicy{Start: &start, Expiry: &expiry, Permission: to.Ptr("ra")},
		}}})
		if err != nil {
			t.Fatalf("set acl: %v", err)
		}
		acl, err := q.GetAccessPolicy(ctx, nil)
		if err != nil || len(acl.SignedIdentifiers) != 1 || *acl.SignedIdentifiers[0].ID != "readers" ||
			*acl.SignedIdentifiers[0].AccessPolicy.Permission != "ra" || !acl.SignedIdentifiers[0].AccessPolicy.Expiry.Equal(expiry) {
			t.Fatalf("get acl = %+v, %v", acl.SignedIdentifiers, err)
		}

		// A SAS naming only the policy gets its permissions: add yes, process no.
		qp, err := sas.QueueSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, QueueName: "acl", Identifier: "readers"}.SignWithSharedKey(env.cred)
		if err != nil {
			t.Fatal(err)
		}
		sq, err := azqueue.NewQueueClientWithNoCredential(env.url+"/acl?"+qp.Encode(), &azqueue.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sq.EnqueueMessage(ctx, "via policy", nil); err != nil {
			t.Fatalf("enqueue with policy SAS: %v", err)
		}
		_, err = sq.DequeueMessage(ctx, nil)
		wantCode(t, err, 403, "AuthorizationPermissionMismatch")

		// Permissions in both the SAS and the policy: refused.
		both, err := sas.QueueSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, QueueName: "acl", Identifier: "readers",
			Permissions: (&sas.QueuePermissions{Add: true}).String()}.SignWithSharedKey(env.cred)
		if err != nil {
			t.Fatal(err)
		}
		bq, err := azqueue.NewQueueClientWithNoCredential(env.url+"/acl?"+both.Encode(), &azqueue.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		_, err = bq.EnqueueMessage(ctx, "x", nil)
		wantCode(t, err, 403, "AuthenticationFailed")

		// Policy gone: the same SAS fails.
		if _, err := q.SetAccessPolicy(ctx, &azqueue.SetAccessPolicyOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err = sq.EnqueueMessage(ctx, "x", nil)
		wantCode(t, err, 403, "AuthenticationFailed")
	})
}

func TestServiceSAS(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	if _, err := env.client.CreateQueue(ctx, "sasq", nil); err != nil {
		t.Fatal(err)
	}
	sign := func(perms string, start, expiry time.Time, queue string) *azqueue.QueueClient {
		t.Helper()
		p := (&sas.QueuePermissions{Read: strings.Contains(perms, "r"), Add: strings.Contains(perms, "a"),
			Update: strings.Contains(perms, "u"), Process: strings.Contains(perms, "p")}).String()
		qp, err := sas.QueueSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, StartTime: start, ExpiryTime: expiry,
			Permissions: p, QueueName: queue}.SignWithSharedKey(env.cred)
		if err != nil {
			t.Fatal(err)
		}
		c, err := azqueue.NewQueueClientWithNoCredential(env.url+"/sasq?"+qp.Encode(), &azqueue.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	now := env.clock.Now()
	good := sign("ap", now.Add(-time.Minute), now.Add(time.Hour), "sasq")
	if _, err := good.EnqueueMessage(ctx, "hello", nil); err != nil {
		t.Fatalf("enqueue with SAS: %v", err)
	}
	got, err := good.DequeueMessage(ctx, nil)
	if err != nil || len(got.Messages) != 1 {
		t.Fatalf("dequeue with SAS: %+v, %v", got, err)
	}
	_, err = good.PeekMessage(ctx, nil)
	wantCode(t, err, 403, "AuthorizationPermissionMismatch")

	expired := sign("ap", now.Add(-2*time.Hour), now.Add(-time.Hour), "sasq")
	_, err = expired.EnqueueMessage(ctx, "x", nil)
	wantCode(t, err, 403, "AuthenticationFailed")

	other := sign("ap", now.Add(-time.Minute), now.Add(time.Hour), "another")
	_, err = other.EnqueueMessage(ctx, "x", nil)
	wantCode(t, err, 403, "AuthenticationFailed")

	// Nothing the failed calls tried was written.
	props, err := env.client.NewQueueClient("sasq").GetProperties(ctx, nil)
	if err != nil || *props.ApproximateMessagesCount != 1 {
		t.Fatalf("count = %v, %v; want 1 (the dequeued message, now hidden)", props.ApproximateMessagesCount, err)
	}
}

func TestAccountSAS(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "file")
	ctx := context.Background()
	now := env.clock.Now()
	client := func(query string) *azqueue.ServiceClient {
		t.Helper()
		c, err := azqueue.NewServiceClientWithNoCredential(env.url+"/?"+query, &azqueue.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	sign := func(rt sas.AccountResourceTypes, perms sas.AccountPermissions) *azqueue.ServiceClient {
		t.Helper()
		qp, err := sas.AccountSignatureValues{Protocol: sas.ProtocolHTTPSandHTTP, StartTime: now.Add(-time.Minute),
			ExpiryTime: now.Add(time.Hour), Permissions: perms.String(), ResourceTypes: rt.String()}.SignWithSharedKey(env.cred)
		if err != nil {
			t.Fatal(err)
		}
		return client(qp.Encode())
	}
	all := sign(sas.AccountResourceTypes{Service: true, Container: true, Object: true},
		sas.AccountPermissions{Read: true, Write: true, Create: true, List: true, Add: true, Process: true, Delete: true})
	if _, err := all.CreateQueue(ctx, "acctsas", nil); err != nil {
		t.Fatalf("create with account SAS: %v", err)
	}
	if _, err := all.NewQueueClient("acctsas").EnqueueMessage(ctx, "m", nil); err != nil {
		t.Fatalf("enqueue with account SAS: %v", err)
	}
	if _, err := all.NewListQueuesPager(nil).NextPage(ctx); err != nil {
		t.Fatalf("list with account SAS: %v", err)
	}
	noObject := sign(sas.AccountResourceTypes{Service: true, Container: true}, sas.AccountPermissions{Add: true})
	_, err := noObject.NewQueueClient("acctsas").EnqueueMessage(ctx, "m", nil)
	wantCode(t, err, 403, "AuthorizationResourceTypeMismatch")
	// The blob SDK signs account SASes for the blob service only (ss=b).
	blobCred, err := azblob.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	bqp, err := blobsas.AccountSignatureValues{Protocol: blobsas.ProtocolHTTPSandHTTP, ExpiryTime: now.Add(time.Hour),
		Permissions: "a", ResourceTypes: "o"}.SignWithSharedKey(blobCred)
	if err != nil {
		t.Fatal(err)
	}
	blobOnly := client(bqp.Encode())
	_, err = blobOnly.NewQueueClient("acctsas").EnqueueMessage(ctx, "m", nil)
	wantCode(t, err, 403, "AuthorizationServiceMismatch")
	readOnly := sign(sas.AccountResourceTypes{Object: true}, sas.AccountPermissions{Read: true})
	_, err = readOnly.NewQueueClient("acctsas").EnqueueMessage(ctx, "m", nil)
	wantCode(t, err, 403, "AuthorizationPermissionMismatch")
}

func TestWrongKeyAndSecondAccount(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	bad, err := azqueue.NewSharedKeyCredential(DevAccountName, "AAAA"+DevAccountKey[4:])
	if err != nil {
		t.Fatal(err)
	}
	c, err := azqueue.NewServiceClientWithSharedKeyCredential(env.url+"/", bad, &azqueue.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateQueue(ctx, "nope", nil)
	wantCode(t, err, 403, "AuthenticationFailed")
	if _, err := env.client.NewQueueClient("nope").GetProperties(ctx, nil); err == nil {
		t.Fatal("a rejected create made the queue")
	}

	// devstoreaccount2 from the accounts list has its own namespace.
	cred2, _ := azqueue.NewSharedKeyCredential("devstoreaccount2", DevAccountKey)
	base := strings.TrimSuffix(env.url, DevAccountName)
	c2, err := azqueue.NewServiceClientWithSharedKeyCredential(base+"devstoreaccount2/", cred2, &azqueue.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.CreateQueue(ctx, "mine", nil); err != nil {
		t.Fatalf("create in second account: %v", err)
	}
	_, err = env.client.NewQueueClient("mine").GetProperties(ctx, nil)
	wantCode(t, err, 404, "QueueNotFound")
}

func TestServiceProperties(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	_, err := env.client.SetProperties(ctx, &azqueue.SetPropertiesOptions{CORS: []*azqueue.CORSRule{{
		AllowedOrigins: to.Ptr("http://example.com"), AllowedMethods: to.Ptr("GET"),
		AllowedHeaders: to.Ptr("*"), ExposedHeaders: to.Ptr("*"), MaxAgeInSeconds: to.Ptr(int32(60)),
	}}})
	if err != nil {
		t.Fatalf("set properties: %v", err)
	}
	props, err := env.client.GetServiceProperties(ctx, nil)
	if err != nil || len(props.CORS) != 1 || *props.CORS[0].AllowedOrigins != "http://example.com" {
		t.Fatalf("get properties = %+v, %v", props, err)
	}
}

// The SDKs sort canonicalized headers with a culture-aware comparer in
// which '_' and '-' weigh little; metadata names that differ only there
// must still verify.
func TestSharedKeyWithTrickyMetadataNames(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	q := env.client.NewQueueClient("tricky")
	if _, err := q.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	meta := map[string]*string{}
	for _, k := range []string{"a_b", "ab", "a_c", "aa", "_z", "z_", "ab_", "a__b", "A_B2", "b"} {
		meta[k] = to.Ptr("v")
	}
	if _, err := q.SetMetadata(ctx, &azqueue.SetMetadataOptions{Metadata: meta}); err != nil {
		t.Fatalf("signed request with tricky metadata names refused: %v", err)
	}
	props, err := q.GetProperties(ctx, nil)
	if err != nil || len(props.Metadata) != len(meta) {
		t.Fatalf("metadata = %v, %v", props.Metadata, err)
	}
}

// The explicit development connection string the README gives Go users
// reaches the server through the SDK's own parser.
func TestDevelopmentConnectionString(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	conn := "DefaultEndpointsProtocol=http;AccountName=" + DevAccountName + ";AccountKey=" + DevAccountKey +
		";QueueEndpoint=" + env.url + ";"
	c, err := azqueue.NewServiceClientFromConnectionString(conn, &azqueue.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateQueue(context.Background(), "viaconn", nil); err != nil {
		t.Fatalf("create through the connection string: %v", err)
	}
	if _, err := env.client.NewQueueClient("viaconn").GetProperties(context.Background(), nil); err != nil {
		t.Fatalf("queue made through the connection string not found: %v", err)
	}
}
