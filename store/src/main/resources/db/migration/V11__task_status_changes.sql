-- The status timeline of each task: one row per change of its status (or of its status reason),
-- written in the same transaction as the projection write that made it, keyed by the projection
-- version, so a repeated or stale write adds nothing. Goes with its task (retention included).
CREATE TABLE task_status_changes (
    task_id TEXT        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    version BIGINT      NOT NULL,
    status  TEXT        NOT NULL,
    reason  TEXT,
    at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (task_id, version)
);

-- Tasks from before the timeline: their current status is all that is known.
INSERT INTO task_status_changes (task_id, version, status, reason, at)
SELECT id, version, status, status_reason, updated_at FROM tasks;

-- The global event stream (GET /api/v1/events) reads tasks in the order their writes committed,
-- as far as that order is certain: by the id of the transaction that last wrote the row, up to the
-- oldest transaction still running (pg_snapshot_xmin), below which no write can still appear.
ALTER TABLE tasks ADD COLUMN changed_xid xid8;
UPDATE tasks SET changed_xid = pg_current_xact_id();
ALTER TABLE tasks ALTER COLUMN changed_xid SET NOT NULL;

CREATE FUNCTION tasks_changed_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id();
    RETURN NEW;
END;
$$;

CREATE TRIGGER tasks_changed_xid BEFORE INSERT OR UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_changed_xid();

CREATE INDEX tasks_changes ON tasks (changed_xid, id);
