package rest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// batch runs an entity group transaction: up to 100 writes to one
// partition of one table, all or nothing. Like Azure it answers 202 even
// when an operation fails; the changeset response then holds one part,
// the failure, whose message starts with the operation's index.
func (t *TableService) batch(w http.ResponseWriter, r *Request) error {
	if r.HTTP.ContentLength > maxBatchBytes {
		return errorf(http.StatusRequestEntityTooLarge, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit. ($batch is limited to 4 MiB)")
	}
	body, err := readBody(r, maxBatchBytes)
	if err != nil {
		return err
	}
	pb, err := parseTableBatch(r.Header().Get("Content-Type"), body)
	if err != nil {
		return err
	}
	if !pb.changeset {
		return t.batchQuery(w, r, pb.ops[0])
	}
	perms, err := t.sasPermissions(r)
	if err != nil {
		return err
	}
	plan, failed, ferr := t.planBatch(r, pb.ops, perms)
	var written []storage.TableEntity
	var name string
	if ferr == nil {
		name, written, ferr = t.store.WriteEntitiesNamed(r.Context(), r.Account.Name, plan.table, plan.ops)
		var oe *storage.TableOpError
		if errors.As(ferr, &oe) {
			failed, ferr = oe.Index, oe.Err
		}
	}
	resp := newBatchResponse()
	if ferr != nil {
		e, known := toAPIError(tableError(ferr))
		if !known {
			return ferr
		}
		resp.failure(r, pb.ops[failed].contentID, failed, e)
	} else {
		resp.grow(len(written))
		for i := range written {
			resp.success(r, name, pb.ops[i], plan.ops[i].Kind, &written[i])
		}
	}
	return resp.send(w)
}

type batchPlan struct {
	table string
	ops   []storage.TableOp
}

// planBatch turns the changeset's requests into store writes, checking
// Azure's rules: one table, one partition, each entity once, and the
// SAS's permissions. It returns the failing index with any error.
func (t *TableService) planBatch(r *Request, reqs []batchRequest, perms string) (batchPlan, int, error) {
	plan := batchPlan{ops: make([]storage.TableOp, 0, len(reqs))}
	seen := make(map[string]bool, len(reqs))
	// Each operation is read as a request with its own headers over the
	// batch's query, account and SAS; nothing else of the request is
	// read or kept, so one request serves them all, its headers swapped.
	sub := &Request{HTTP: (&http.Request{}).WithContext(r.Context()), Account: r.Account, Query: r.Query, SAS: r.SAS}
	for i, br := range reqs {
		target, err := batchTarget(r, br)
		if err != nil {
			return plan, i, err
		}
		if target.tablesOp || target.table == "" {
			return plan, i, errTableBatch("operation %d does not address a table's entity", i)
		}
		if plan.table == "" {
			plan.table = target.table
		} else if !strings.EqualFold(plan.table, target.table) {
			return plan, i, errTableBatch("all operations must address one table (%q and %q)", plan.table, target.table)
		}
		kind, need, err := tableBatchKind(br, target)
		if err != nil {
			return plan, i, err
		}
		if perms != "" && !strings.Contains(perms, need) {
			return plan, i, errAuthorization("AuthorizationPermissionMismatch",
				fmt.Sprintf("This request is not authorized to perform this operation using this permission. (operation %d needs %q)", i, need))
		}
		sub.HTTP.Header = http.Header(br.header)
		var op storage.TableOp
		if kind == storage.OpInsert {
			e, hasPK, hasRK, err := parseEntity(br.body)
			if err != nil {
				return plan, i, err
			}
			if !hasPK || !hasRK {
				return plan, i, errorf(http.StatusBadRequest, "PropertiesNeedValue", "Values have not been specified for all properties in the entity. (PartitionKey and RowKey are required)")
			}
			if err := checkTableSAS(sub, target.table, &e); err != nil {
				return plan, i, err
			}
			op = storage.TableOp{Kind: kind, Entity: e}
		} else if op, err = entityOp(sub, kind, target, br.body); err != nil {
			return plan, i, err
		}
		if len(plan.ops) > 0 && op.Entity.PartitionKey != plan.ops[0].Entity.PartitionKey {
			return plan, i, errorf(http.StatusBadRequest, "CommandsInBatchActOnDifferentPartitions",
				"All commands in a batch must operate on same entity group. (PartitionKey %q and %q)", plan.ops[0].Entity.PartitionKey, op.Entity.PartitionKey)
		}
		if seen[op.Entity.RowKey] {
			return plan, i, errorf(http.StatusBadRequest, "InvalidDuplicateRow", "The batch request contains multiple changes with same row key. An entity can appear only once in a batch request. (RowKey %q)", op.Entity.RowKey)
		}
		seen[op.Entity.RowKey] = true
		plan.ops = append(plan.ops, op)
	}
	return plan, 0, nil
}

// batchTarget reads an operation's URL: absolute or relative, path-style
// (with the account) or host-style.
func batchTarget(r *Request, br batchRequest) (tableTarget, error) {
	path := strings.TrimPrefix(br.url.Path, "/")
	if first, rest, ok := strings.Cut(path, "/"); ok && first == r.Account.Name {
		path = rest
	}
	return parseTableResource(path)
}

// tableBatchKind maps an operation's verb to the write it is and the SAS
// permission it needs.
func tableBatchKind(br batchRequest, target tableTarget) (storage.TableOpKind, string, error) {
	m := br.method
	// Keys in canonical form: Get then finds them without making one.
	if x := br.header.Get("X-Http-Method"); x != "" && m == http.MethodPost {
		m = strings.ToUpper(x)
	}
	ifMatch := br.header.Get("If-Match") != ""
	switch {
	case m == http.MethodPost && !target.hasKeys:
		return storage.OpInsert, "a", nil
	case !target.hasKeys:
		return 0, "", errTableBatch("%s needs an entity's keys in the URL", m)
	case m == http.MethodPut && ifMatch:
		return storage.OpReplace, "u", nil
	case m == http.MethodPut:
		return storage.OpInsertOrReplace, "u", nil
	case (m == "MERGE" || m == http.MethodPatch) && ifMatch:
		return storage.OpMerge, "u", nil
	case m == "MERGE" || m == http.MethodPatch:
		return storage.OpInsertOrMerge, "u", nil
	case m == http.MethodDelete:
		return storage.OpDelete, "d", nil
	}
	return 0, "", errTableBatch("%s is not allowed in a changeset", m)
}

// sasPermissions are the permissions a service SAS grants, from the SAS
// or its stored policy; "" when the request is not authorized by one.
func (t *TableService) sasPermissions(r *Request) (string, error) {
	if r.SAS == nil || r.SAS.IsAccount() {
		return "", nil
	}
	if r.SAS.Identifier != "" && r.SAS.Permissions == "" {
		pol, err := t.StoredPolicy(r.Context(), r.Account.Name, r.Param("tn"), r.SAS.Identifier)
		if err != nil || pol == nil {
			return "", err
		}
		return pol.Permissions, nil
	}
	return r.SAS.Permissions, nil
}

// batchQuery runs a query that stands alone in a batch through the
// ordinary handlers and wraps its answer.
func (t *TableService) batchQuery(w http.ResponseWriter, r *Request, br batchRequest) error {
	target, err := batchTarget(r, br)
	if err != nil {
		return err
	}
	sub := &Request{HTTP: r.HTTP.Clone(r.Context()), ID: r.ID, Now: r.Now, Account: r.Account, Resource: target.table, Query: br.url.Query(), SAS: r.SAS}
	sub.HTTP.Header = http.Header(br.header)
	rec := httptest.NewRecorder()
	if target.hasKeys {
		err = t.getEntity(rec, sub, target)
	} else {
		err = t.queryEntities(rec, sub, target)
	}
	resp := newBatchResponse()
	if err != nil {
		e, known := toAPIError(tableError(err))
		if !known {
			return err
		}
		resp.part(e.Status, http.Header{"Content-Type": {"application/json;odata=minimalmetadata;charset=utf-8"}},
			tableErrorBody(e.Code, e.Message+"\nRequestId:"+r.ID+"\nTime:"+r.Now.UTC().Format("2006-01-02T15:04:05.0000000Z")))
	} else {
		resp.part(rec.Code, rec.Header(), rec.Body.Bytes())
	}
	return resp.sendDirect(w)
}
