package storage

import (
	"embed"
	"io/fs"
)

// migrations holds the schema, one file a version: NNNN_name.sql, applied
// in version order by internal/sqlitedb, each exactly once.
//
//go:embed migrations/*.sql
var migrations embed.FS

func migrationFiles() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded folder always exists
	}
	return sub
}
