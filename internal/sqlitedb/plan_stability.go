package sqlitedb

/*
typedef struct sqlite3 sqlite3;
extern int sqlite3_db_config(sqlite3*, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG from sqlite3.h.
#define FUNCEMU_DBCONFIG_ENABLE_QPSG 1007

// funcemu_qpsg sets the guarantee (set 1 or 0; -1 leaves it) and answers
// whether it is on, -1 on failure.
static int funcemu_qpsg(void *db, int set) {
	int on = 0;
	if (sqlite3_db_config((sqlite3*)db, FUNCEMU_DBCONFIG_ENABLE_QPSG, set, &on) != 0) {
		return -1;
	}
	return on;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/mattn/go-sqlite3"
)

// enablePlanStability turns on SQLite's query planner stability guarantee
// (SQLITE_DBCONFIG_ENABLE_QPSG) for c.
//
// Without it, the planner marks nearly every "column = ?" parameter as one
// whose value might change the plan, and sqlite3_clear_bindings, which
// go-sqlite3 calls whenever a statement goes back to its cache, then
// expires the statement: every cached statement was compiled again on its
// next step, which cost more than running it (a 4 KiB blob GET spent half
// its time in SQLite's parser). With the guarantee a statement keeps the
// plan it was prepared with; funcemu's queries bind no values a plan
// could depend on (no LIKE patterns, no STAT4 statistics).
//
// go-sqlite3 does not expose sqlite3_db_config, so the connection's handle
// is read from its unexported field; the function is linked from the
// SQLite that go-sqlite3 compiles in.
func enablePlanStability(c *sqlite3.SQLiteConn) error {
	on, err := planStability(c, 1)
	if err == nil && !on {
		err = errors.New("still off")
	}
	if err != nil {
		return fmt.Errorf("enable query plan stability: %w", err)
	}
	return nil
}

// planStability sets the guarantee on c (set 1 or 0, -1 to leave it) and
// reports whether it is on.
func planStability(c *sqlite3.SQLiteConn, set int) (bool, error) {
	f := reflect.ValueOf(c).Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Pointer {
		return false, errors.New("go-sqlite3 connection has no db handle")
	}
	db := *(*unsafe.Pointer)(unsafe.Pointer(f.UnsafeAddr()))
	if db == nil {
		return false, errors.New("connection is closed")
	}
	on := C.funcemu_qpsg(db, C.int(set))
	if on < 0 {
		return false, errors.New("sqlite3_db_config failed")
	}
	return on == 1, nil
}
