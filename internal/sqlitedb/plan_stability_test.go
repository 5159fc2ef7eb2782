package sqlitedb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// Every connection of a file or memory database has the planner's
// stability guarantee on, so cached statements are not compiled again on
// each use.
func TestConnectionsHavePlanStability(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", filepath.Join(t.TempDir(), "s.db")} {
		db, err := Open(Options{Path: path, Migrations: testMigrations})
		if err != nil {
			t.Fatal(err)
		}
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		err = conn.Raw(func(dc any) error {
			on, err := planStability(dc.(*sqlite3.SQLiteConn), -1)
			if err != nil {
				return err
			}
			if !on {
				t.Errorf("database %q: query plan stability is off", path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
		db.Close()
	}
}

// planStability reads what it set: the handle it reaches is the
// connection's own.
func TestPlanStabilityReadsBack(t *testing.T) {
	t.Parallel()
	db, err := Open(Options{Migrations: testMigrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		c := dc.(*sqlite3.SQLiteConn)
		if on, err := planStability(c, 0); err != nil || on {
			t.Errorf("after turning it off: on=%v err=%v", on, err)
		}
		if on, err := planStability(c, 1); err != nil || !on {
			t.Errorf("after turning it on: on=%v err=%v", on, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
