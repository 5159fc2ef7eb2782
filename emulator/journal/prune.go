package journal

import (
	"context"
	"database/sql"
)

// prune deletes the oldest invocations (by recording order) and their logs while the
// journal holds more than MaxInvocations or MaxBytes. It reads the running
// totals and then only as many of the oldest rows as it removes, never the
// whole journal. The newest invocation is always kept.
func (j *Journal) prune(ctx context.Context, tx *sql.Tx) error {
	var count, size int64
	if err := tx.QueryRowContext(ctx, `SELECT invocations, bytes FROM totals WHERE id = 1`).Scan(&count, &size); err != nil {
		return err
	}
	excessCount, excessBytes := int64(0), int64(0)
	if j.maxInvocations > 0 {
		excessCount = count - int64(j.maxInvocations)
	}
	if j.maxBytes > 0 {
		excessBytes = size - j.maxBytes
	}
	if excessCount <= 0 && excessBytes <= 0 {
		return nil
	}
	victims, err := oldest(ctx, tx, excessCount, excessBytes, count-1)
	if err != nil {
		return err
	}
	return deleteInvocations(ctx, tx, victims)
}

// oldest returns the ids of the oldest invocations that together make up
// at least excessCount rows and excessBytes bytes (logs included), at most
// limit of them. SQLite steps the start index lazily, so only the returned
// rows are read.
func oldest(ctx context.Context, tx *sql.Tx, excessCount, excessBytes, limit int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.size + coalesce(
			(SELECT sum(48 + length(CAST(l.message AS BLOB))) FROM logs l WHERE l.invocation_id = i.id), 0)
			+ coalesce((SELECT e.size FROM exchanges e WHERE e.invocation_id = i.id), 0)
		FROM invocations i ORDER BY i.seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	var freed int64
	for int64(len(ids)) < limit && (int64(len(ids)) < excessCount || freed < excessBytes) && rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		ids = append(ids, id)
		freed += n
	}
	return ids, rows.Err()
}

func deleteInvocations(ctx context.Context, tx *sql.Tx, ids []string) error {
	delLogs, err := tx.PrepareContext(ctx, `DELETE FROM logs WHERE invocation_id = ?`)
	if err != nil {
		return err
	}
	defer delLogs.Close()
	delInv, err := tx.PrepareContext(ctx, `DELETE FROM invocations WHERE id = ?`)
	if err != nil {
		return err
	}
	defer delInv.Close()
	for _, id := range ids {
		if _, err := delLogs.ExecContext(ctx, id); err != nil {
			return err
		}
		if _, err := delInv.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
