package rest

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator/storage"
)

// TableService is the Table service over the store: JSON (OData v3)
// payloads and errors, the Table service's own SharedKey canonicalization
// and table SAS.
type TableService struct {
	store *storage.Store
	// properties caches each account's parsed service properties (see
	// corsRules).
	properties sync.Map // account -> *serviceProperties
}

// NewTableService returns the Table service for NewServer.
func NewTableService(store *storage.Store) *TableService { return &TableService{store: store} }

// Kind names the service.
func (t *TableService) Kind() string { return "table" }

// AllowAnonymous is always false: tables have no public access.
func (t *TableService) AllowAnonymous(*Request, *Operation) bool { return false }

// StoredPolicy looks up a table's signed identifier.
func (t *TableService) StoredPolicy(ctx context.Context, account, table, id string) (*AccessPolicy, error) {
	ids, err := t.store.GetTableACL(ctx, account, table)
	if err != nil {
		return nil, err
	}
	return policyWithID(ids, id)
}

// tableTarget is what a Table service URL names.
type tableTarget struct {
	table    string // "" for the Tables collection and the service
	hasKeys  bool
	pk, rk   string
	tablesOp bool // /Tables or /Tables('name')
}

// parseTableResource reads "Tables", "Tables('name')", "name", "name()"
// and "name(PartitionKey='pk',RowKey='rk')".
func parseTableResource(res string) (tableTarget, error) {
	var t tableTarget
	name, args, hasParen := strings.Cut(res, "(")
	if hasParen {
		if !strings.HasSuffix(args, ")") {
			return t, errTableURI(res, "unbalanced parentheses")
		}
		args = strings.TrimSuffix(args, ")")
	}
	if name == "Tables" {
		t.tablesOp = true
		if hasParen && args != "" {
			v, rest, err := odataString(args)
			if err != nil || rest != "" {
				return t, errTableURI(res, "expected Tables('name')")
			}
			t.table = v
		}
		return t, nil
	}
	t.table = name
	if !hasParen || args == "" {
		return t, nil
	}
	for args != "" {
		key, rest, ok := strings.Cut(args, "=")
		if !ok {
			return t, errTableURI(res, "expected PartitionKey='…',RowKey='…'")
		}
		v, rest, err := odataString(strings.TrimSpace(rest))
		if err != nil {
			return t, errTableURI(res, err.Error())
		}
		switch strings.TrimSpace(key) {
		case "PartitionKey":
			t.pk = v
		case "RowKey":
			t.rk = v
		default:
			return t, errTableURI(res, "unknown key "+key)
		}
		t.hasKeys = true
		args = strings.TrimPrefix(strings.TrimSpace(rest), ",")
	}
	return t, nil
}

// odataString reads a quoted OData string at the start of s (” is a
// quote) and returns it and what follows.
func odataString(s string) (string, string, error) {
	if !strings.HasPrefix(s, "'") {
		return "", "", errTableURI(s, "a key must be a quoted string")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], nil
	}
	return "", "", errTableURI(s, "unterminated quoted key")
}

func errTableURI(res, why string) *Error {
	return errorf(http.StatusBadRequest, "InvalidUri", "The requested URI does not represent any resource on the server. (%s: %s)", res, why)
}

// method is the request's verb after X-HTTP-Method tunnelling (POST only).
func tableMethod(r *Request) (string, error) {
	m := r.HTTP.Method
	x := r.Header().Values("X-HTTP-Method")
	if len(x) == 0 {
		return m, nil
	}
	if m != http.MethodPost {
		return "", errorf(http.StatusBadRequest, "XMethodNotUsingPost", "The request uses X-HTTP-Method with an HTTP verb other than POST.")
	}
	if len(x) > 1 {
		return "", errorf(http.StatusBadRequest, "XMethodIncorrectCount", "More than one X-HTTP-Method is specified.")
	}
	switch v := strings.ToUpper(x[0]); v {
	case "MERGE", "PUT", "DELETE", "PATCH":
		return v, nil
	}
	return "", errorf(http.StatusBadRequest, "XMethodIncorrectValue", "The specified X-HTTP-Method is invalid. (%q)", x[0])
}

func (t *TableService) op(name string, level Level, accountPerms, servicePerms string, h func(http.ResponseWriter, *Request) error) *Operation {
	return t.withCORS(&Operation{Name: name, Level: level, AccountPerms: accountPerms, ServicePerms: servicePerms, Handle: h})
}

// Route maps a request to its table operation. It sets r.Resource to the
// table name, which stored access policies and table SAS refer to.
func (t *TableService) Route(r *Request) (*Operation, error) {
	m, err := tableMethod(r)
	if err != nil {
		return nil, err
	}
	if m == http.MethodOptions {
		return &Operation{Name: "Preflight", Level: LevelService, Public: true, Handle: t.preflight}, nil
	}
	if r.Name != "" {
		return nil, errTableURI(r.Resource+"/"+r.Name, "unexpected path segment")
	}
	if r.Resource == "" {
		return t.routeService(r, m)
	}
	if r.Resource == "$batch" {
		if m != http.MethodPost {
			return nil, errUnsupportedTableVerb(m, "$batch")
		}
		r.Resource = r.Param("tn")
		return t.op("EntityGroupTransaction", LevelObject, "raud", "raud", t.batch), nil
	}
	target, err := parseTableResource(r.Resource)
	if err != nil {
		return nil, err
	}
	r.Resource = target.table
	if target.tablesOp {
		return t.routeTables(m, target)
	}
	if comp := strings.ToLower(r.Param("comp")); comp != "" {
		if comp != "acl" || target.hasKeys {
			return nil, errInvalidQueryParameter("comp", comp, "the Table service knows only comp=acl on a table")
		}
		switch m {
		case http.MethodGet, http.MethodHead:
			return t.op("GetTableACL", LevelContainer, "r", "", t.getACL), nil
		case http.MethodPut:
			return t.op("SetTableACL", LevelContainer, "w", "", t.setACL), nil
		}
		return nil, errUnsupportedTableVerb(m, "comp=acl")
	}
	h := func(f func(http.ResponseWriter, *Request, tableTarget) error) func(http.ResponseWriter, *Request) error {
		return func(w http.ResponseWriter, r *Request) error { return f(w, r, target) }
	}
	if !target.hasKeys {
		switch m {
		case http.MethodGet:
			return t.op("QueryEntities", LevelObject, "r", "r", h(t.queryEntities)), nil
		case http.MethodPost:
			return t.op("InsertEntity", LevelObject, "a", "a", h(t.insertEntity)), nil
		}
		return nil, errUnsupportedTableVerb(m, "a table")
	}
	ifMatch := r.Header().Get("If-Match") != ""
	switch m {
	case http.MethodGet:
		return t.op("GetEntity", LevelObject, "r", "r", h(t.getEntity)), nil
	case http.MethodPut:
		if ifMatch {
			return t.op("UpdateEntity", LevelObject, "u", "u", h(t.writeEntity(storage.OpReplace))), nil
		}
		return t.op("InsertOrReplaceEntity", LevelObject, "u", "u", h(t.writeEntity(storage.OpInsertOrReplace))), nil
	case "MERGE", http.MethodPatch:
		if ifMatch {
			return t.op("MergeEntity", LevelObject, "u", "u", h(t.writeEntity(storage.OpMerge))), nil
		}
		return t.op("InsertOrMergeEntity", LevelObject, "u", "u", h(t.writeEntity(storage.OpInsertOrMerge))), nil
	case http.MethodDelete:
		return t.op("DeleteEntity", LevelObject, "d", "d", h(t.deleteEntity)), nil
	}
	return nil, errUnsupportedTableVerb(m, "an entity")
}

func (t *TableService) routeTables(m string, target tableTarget) (*Operation, error) {
	switch {
	case m == http.MethodGet:
		return t.op("QueryTables", LevelContainer, "l", "", func(w http.ResponseWriter, r *Request) error {
			return t.queryTables(w, r, target.table)
		}), nil
	case m == http.MethodPost && target.table == "":
		return t.op("CreateTable", LevelContainer, "ac", "", t.createTable), nil
	case m == http.MethodDelete && target.table != "":
		return t.op("DeleteTable", LevelContainer, "d", "", t.deleteTable), nil
	}
	return nil, errUnsupportedTableVerb(m, "Tables")
}

func (t *TableService) routeService(r *Request, m string) (*Operation, error) {
	comp := strings.ToLower(r.Param("comp"))
	switch {
	case comp == "properties" && (m == http.MethodGet || m == http.MethodHead):
		return t.op("GetTableServiceProperties", LevelService, "r", "", t.getServiceProperties), nil
	case comp == "properties" && m == http.MethodPut:
		return t.op("SetTableServiceProperties", LevelService, "w", "", t.setServiceProperties), nil
	case comp == "stats" && m == http.MethodGet:
		return t.op("GetTableServiceStats", LevelService, "r", "", t.serviceStats), nil
	}
	return nil, errTableURI("/", "the service level takes ?restype=service&comp=properties or comp=stats")
}

func errUnsupportedTableVerb(m, what string) *Error {
	return errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "The requested method is not allowed on the specified resource. (%s on %s)", m, what)
}
