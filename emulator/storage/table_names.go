package storage

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// tableNames remembers each table's name as created, by account and
// lower-cased key, so that an entity write need not read it in its
// transaction (a third of an insert's time in the writer). Only the
// name's case is taken from here: a write to a table that is gone fails
// on table_entities' foreign key, and DeleteTable forgets the name.
type tableNames struct {
	mu    sync.Mutex
	names map[string]string // account + "\x00" + key -> name
	// forgets counts forget calls: a name read before one is not kept,
	// as its table may be the one just deleted.
	forgets uint64
}

// get returns the name, or false and the count to pass to put.
func (c *tableNames) get(account, key string) (string, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.names[account+"\x00"+key]
	return n, c.forgets, ok
}

// put keeps a name read after get returned forgets.
func (c *tableNames) put(account, key, name string, forgets uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forgets != forgets {
		return
	}
	if c.names == nil {
		c.names = map[string]string{}
	}
	c.names[account+"\x00"+key] = name
}

func (c *tableNames) forget(account, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	delete(c.names, account+"\x00"+key)
}

// cachedTableName is TableName, from the cache when it holds the table.
func (s *Store) cachedTableName(ctx context.Context, account, table string) (string, error) {
	key := strings.ToLower(table)
	n, forgets, ok := s.tableNames.get(account, key)
	if ok {
		return n, nil
	}
	n, err := s.TableName(ctx, account, table)
	if err != nil {
		return "", err
	}
	s.tableNames.put(account, key, n, forgets)
	return n, nil
}

// isMissingTable reports whether err is table_entities' foreign key
// failing: the table was deleted.
func isMissingTable(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}
