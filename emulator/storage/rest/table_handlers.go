package rest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage"
)

// maxEntityBody bounds an entity request body: the 1 MiB entity limit
// plus room for JSON syntax and annotations.
const maxEntityBody = 4 << 20

// accountURL is the account's base URL as the client addressed it, for
// odata.metadata and Location.
func accountURL(r *Request) string {
	scheme := "http"
	if r.HTTP.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.HTTP.Host
	if hostAccount(r.HTTP.Host) == r.Account.Name {
		return base
	}
	return base + "/" + r.Account.Name
}

// preference is the Prefer header: "return-content", "return-no-content"
// or "" when not sent.
func preference(r *Request) string {
	p := strings.ToLower(r.Header().Get("Prefer"))
	switch {
	case strings.Contains(p, "return-no-content"):
		return "return-no-content"
	case strings.Contains(p, "return-content"):
		return "return-content"
	}
	return ""
}

func writeJSONBody(w http.ResponseWriter, status int, level metadataLevel, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", level.contentType())
	h.Set("DataServiceVersion", "3.0;")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

func noContent(w http.ResponseWriter) error {
	w.Header().Set("DataServiceVersion", "3.0;")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tableError turns the store's filter errors into 400 InvalidInput.
func tableError(err error) error {
	var fe *storage.FilterError
	if errors.As(err, &fe) {
		return errTableInput("$filter: %v", fe.Err)
	}
	return err
}

func (t *TableService) createTable(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, 64<<10)
	if err != nil {
		return err
	}
	var in struct {
		TableName *string `json:"TableName"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return errTableInput("the body is not a JSON object with TableName: %v", err)
	}
	if in.TableName == nil {
		return errorf(http.StatusBadRequest, "PropertiesNeedValue", "Values have not been specified for all properties in the entity. (TableName)")
	}
	name := *in.TableName
	if err := t.store.CreateTable(r.Context(), r.Account.Name, name); err != nil {
		return err
	}
	base := accountURL(r)
	w.Header().Set("Location", base+"/Tables('"+name+"')")
	w.Header().Set("DataServiceId", base+"/Tables('"+name+"')")
	pref := preference(r)
	if pref != "" {
		w.Header().Set("Preference-Applied", pref)
	}
	if pref == "return-no-content" {
		return noContent(w)
	}
	level := acceptedMetadata(r)
	var b bytes.Buffer
	writeTableName(&b, level, base, name, true)
	return writeJSONBody(w, http.StatusCreated, level, b.Bytes())
}

// writeTableName renders one row of the Tables feed (or the Create Table
// answer when element).
func writeTableName(b *bytes.Buffer, level metadataLevel, base, name string, element bool) {
	first := true
	b.WriteByte('{')
	if level >= minimalMetadata && element {
		member(b, &first, "odata.metadata")
		jsonString(b, base+"/$metadata#Tables/@Element")
	}
	if level == fullMetadata {
		member(b, &first, "odata.type")
		jsonString(b, accountName(base)+".Tables")
		member(b, &first, "odata.id")
		jsonString(b, base+"/Tables('"+name+"')")
		member(b, &first, "odata.editLink")
		jsonString(b, "Tables('"+name+"')")
	}
	member(b, &first, "TableName")
	jsonString(b, name)
	b.WriteByte('}')
}

func (t *TableService) deleteTable(w http.ResponseWriter, r *Request) error {
	if err := t.store.DeleteTable(r.Context(), r.Account.Name, r.Resource); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (t *TableService) queryTables(w http.ResponseWriter, r *Request, one string) error {
	level := acceptedMetadata(r)
	base := accountURL(r)
	if one != "" {
		name, err := t.store.TableName(r.Context(), r.Account.Name, one)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		writeTableName(&b, level, base, name, true)
		return writeJSONBody(w, http.StatusOK, level, b.Bytes())
	}
	top, err := topParam(r)
	if err != nil {
		return err
	}
	names, next, err := t.store.QueryTables(r.Context(), r.Account.Name, storage.TableQuery{
		Filter: r.Param("$filter"), Top: top, NextTableName: r.Param("NextTableName"),
	})
	if err != nil {
		return tableError(err)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	if level >= minimalMetadata {
		b.WriteString(`"odata.metadata":`)
		jsonString(&b, base+"/$metadata#Tables")
		b.WriteByte(',')
	}
	b.WriteString(`"value":[`)
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		writeTableName(&b, level, base, n, false)
	}
	b.WriteString("]}")
	if next != "" {
		w.Header().Set("x-ms-continuation-NextTableName", next)
	}
	return writeJSONBody(w, http.StatusOK, level, b.Bytes())
}

// topParam reads $top: 1 to 1000, 0 when absent.
func topParam(r *Request) (int, error) {
	v := r.Param("$top")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > storage.MaxTablePage {
		return 0, errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. ($top=%q must be a number from 1 to %d)", v, storage.MaxTablePage)
	}
	return n, nil
}

func (t *TableService) insertEntity(w http.ResponseWriter, r *Request, target tableTarget) error {
	if err := checkTableSAS(r, target.table, nil); err != nil {
		return err
	}
	body, err := readBody(r, maxEntityBody)
	if err != nil {
		return err
	}
	e, hasPK, hasRK, err := parseEntity(body)
	if err != nil {
		return err
	}
	if !hasPK || !hasRK {
		return errorf(http.StatusBadRequest, "PropertiesNeedValue", "Values have not been specified for all properties in the entity. (PartitionKey and RowKey are required)")
	}
	if err := checkTableSAS(r, target.table, &e); err != nil {
		return err
	}
	name, stored, err := t.store.WriteEntitiesNamed(r.Context(), r.Account.Name, target.table, []storage.TableOp{{Kind: storage.OpInsert, Entity: e}})
	var oe *storage.TableOpError
	if errors.As(err, &oe) {
		return oe.Err
	}
	if err != nil {
		return err
	}
	return t.answerInsert(w, r, name, &stored[0])
}

func (t *TableService) answerInsert(w http.ResponseWriter, r *Request, table string, e *storage.TableEntity) error {
	base := accountURL(r)
	loc := base + "/" + entityPath(table, e.PartitionKey, e.RowKey)
	h := w.Header()
	h.Set("ETag", e.ETag())
	h.Set("Location", loc)
	h.Set("DataServiceId", loc)
	pref := preference(r)
	if pref != "" {
		h.Set("Preference-Applied", pref)
	}
	if pref == "return-no-content" {
		return noContent(w)
	}
	level := acceptedMetadata(r)
	var b bytes.Buffer
	(&entityWriter{level: level, account: base, table: table}).write(&b, e, true)
	return writeJSONBody(w, http.StatusCreated, level, b.Bytes())
}

// writeEntity handles Update, Merge and their Insert-Or forms.
func (t *TableService) writeEntity(kind storage.TableOpKind) func(http.ResponseWriter, *Request, tableTarget) error {
	return func(w http.ResponseWriter, r *Request, target tableTarget) error {
		op, err := entityOp(r, kind, target, nil)
		if err != nil {
			return err
		}
		stored, err := t.store.WriteEntity(r.Context(), r.Account.Name, target.table, op)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", stored.ETag())
		return noContent(w)
	}
}

// entityOp builds a write from a request: keys from the URL, properties
// from the body, If-Match. body nil reads the request body.
func entityOp(r *Request, kind storage.TableOpKind, target tableTarget, body []byte) (storage.TableOp, error) {
	op := storage.TableOp{Kind: kind, IfMatch: r.Header().Get("If-Match")}
	if r.Header().Get("If-None-Match") != "" {
		return op, errTableInput("If-None-Match is not allowed on entity writes")
	}
	op.Entity.PartitionKey, op.Entity.RowKey = target.pk, target.rk
	if err := checkTableSAS(r, target.table, &op.Entity); err != nil {
		return op, err
	}
	if kind == storage.OpDelete {
		if op.IfMatch == "" {
			return op, errMissingHeader("If-Match")
		}
		return op, nil
	}
	if body == nil {
		var err error
		if body, err = readBody(r, maxEntityBody); err != nil {
			return op, err
		}
	}
	e, _, _, err := parseEntity(body)
	if err != nil {
		return op, err
	}
	op.Entity.Properties = e.Properties
	return op, nil
}

func (t *TableService) deleteEntity(w http.ResponseWriter, r *Request, target tableTarget) error {
	op, err := entityOp(r, storage.OpDelete, target, nil)
	if err != nil {
		return err
	}
	if _, err := t.store.WriteEntity(r.Context(), r.Account.Name, target.table, op); err != nil {
		return err
	}
	return noContent(w)
}

func (t *TableService) getEntity(w http.ResponseWriter, r *Request, target tableTarget) error {
	e := storage.TableEntity{PartitionKey: target.pk, RowKey: target.rk}
	if err := checkTableSAS(r, target.table, &e); err != nil {
		return err
	}
	sel, err := parseSelect(r.Param("$select"))
	if err != nil {
		return errTableInput("$select: %v", err)
	}
	name, row, err := t.store.ReadEntityRow(r.Context(), r.Account.Name, target.table, target.pk, target.rk)
	if err != nil {
		return err
	}
	level := acceptedMetadata(r)
	b := getBody()
	defer putBody(b)
	if err := (&entityWriter{level: level, account: accountURL(r), table: name, selected: sel}).writeRow(b, &row, true); err != nil {
		return err
	}
	var tag [96]byte
	w.Header().Set("ETag", string(row.AppendETag(tag[:0])))
	return writeJSONBody(w, http.StatusOK, level, b.Bytes())
}

func (t *TableService) queryEntities(w http.ResponseWriter, r *Request, target tableTarget) error {
	if err := checkTableSAS(r, target.table, nil); err != nil {
		return err
	}
	sel, err := parseSelect(r.Param("$select"))
	if err != nil {
		return errTableInput("$select: %v", err)
	}
	top, err := topParam(r)
	if err != nil {
		return err
	}
	q := storage.TableQuery{Filter: r.Param("$filter"), Top: top, Range: sasKeyRange(r)}
	if q.NextPartitionKey, err = decodeContinuation("NextPartitionKey", r.Param("NextPartitionKey")); err != nil {
		return err
	}
	if q.NextRowKey, err = decodeContinuation("NextRowKey", r.Param("NextRowKey")); err != nil {
		return err
	}
	level := acceptedMetadata(r)
	page := &queryPage{w: entityWriter{level: level, account: accountURL(r), selected: sel}, b: getBody()}
	defer putBody(page.b)
	npk, nrk, err := t.store.ScanEntities(r.Context(), r.Account.Name, target.table, q, page)
	if err != nil {
		return tableError(err)
	}
	b := page.b
	b.WriteString("]}")
	if npk != "" || nrk != "" {
		w.Header().Set("x-ms-continuation-NextPartitionKey", encodeContinuation(npk))
		w.Header().Set("x-ms-continuation-NextRowKey", encodeContinuation(nrk))
	}
	return writeJSONBody(w, http.StatusOK, level, b.Bytes())
}

// queryPage writes a query's answer as the store reads the rows.
type queryPage struct {
	w entityWriter
	b *bytes.Buffer
	n int
}

func (p *queryPage) Begin(table string) {
	p.w.table = table
	p.b.WriteByte('{')
	if p.w.level >= minimalMetadata {
		p.b.WriteString(`"odata.metadata":`)
		jsonString(p.b, p.w.account+"/$metadata#"+table)
		p.b.WriteByte(',')
	}
	p.b.WriteString(`"value":[`)
}

func (p *queryPage) Row(row *storage.EntityRow) error {
	if p.n > 0 {
		p.b.WriteByte(',')
	}
	p.n++
	return p.w.writeRow(p.b, row, false)
}

// Continuation tokens are opaque to clients; they carry the next key in
// the service's "1!<length>!<base64>" shape, so any key fits a header.
func encodeContinuation(key string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(key))
	return "1!" + strconv.Itoa(len(enc)) + "!" + enc
}

func decodeContinuation(param, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	parts := strings.SplitN(token, "!", 3)
	if len(parts) == 3 && parts[0] == "1" {
		if raw, err := base64.StdEncoding.DecodeString(parts[2]); err == nil {
			return string(raw), nil
		}
	}
	return "", errTableInput("%s=%q is not a continuation token this service issued", param, token)
}

func (t *TableService) getACL(w http.ResponseWriter, r *Request) error {
	ids, err := t.store.GetTableACL(r.Context(), r.Account.Name, r.Resource)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, signedIdentifiersBody(ids))
}

func (t *TableService) setACL(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, maxPropertiesBody)
	if err != nil {
		return err
	}
	ids, err := ParseSignedIdentifiers(body)
	if err != nil {
		return err
	}
	if err := t.store.SetTableACL(r.Context(), r.Account.Name, r.Resource, ids); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (t *TableService) serviceStats(w http.ResponseWriter, r *Request) error {
	type stats struct {
		XMLName struct{} `xml:"StorageServiceStats"`
		Status  string   `xml:"GeoReplication>Status"`
		Sync    string   `xml:"GeoReplication>LastSyncTime"`
	}
	return writeXML(w, http.StatusOK, stats{Status: "live", Sync: r.Now.UTC().Format(http.TimeFormat)})
}

// checkTableSAS applies a table service SAS: the table must be tn, and an
// entity's keys must lie in spk/srk/epk/erk. Other credentials pass.
func checkTableSAS(r *Request, table string, e *storage.TableEntity) error {
	if r.SAS == nil || r.SAS.IsAccount() {
		return nil
	}
	if tn := r.Param("tn"); !strings.EqualFold(tn, table) {
		return errAuthorization("AuthorizationResourceTypeMismatch",
			fmt.Sprintf("This request is not authorized to perform this operation using this resource type. (the SAS is for table %q, not %q)", tn, table))
	}
	if e != nil && !sasKeyRange(r).Contains(e.PartitionKey, e.RowKey) {
		return errAuthorization("AuthorizationFailure",
			fmt.Sprintf("This request is not authorized to perform this operation. (PartitionKey %q, RowKey %q is outside the SAS key range)", e.PartitionKey, e.RowKey))
	}
	return nil
}

// sasKeyRange is a table SAS's key range; open when there is none.
func sasKeyRange(r *Request) storage.KeyRange {
	if r.SAS == nil || r.SAS.IsAccount() {
		return storage.KeyRange{}
	}
	return storage.KeyRange{StartPK: r.Param("spk"), StartRK: r.Param("srk"), EndPK: r.Param("epk"), EndRK: r.Param("erk")}
}
