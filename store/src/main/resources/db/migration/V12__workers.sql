-- The worker fleet as the workers see it (the dashboard's Fleet page): each worker upserts its row
-- at start and on every heartbeat, marks it draining while it stops, and deletes it on a clean stop.
-- A row not seen for a day (its worker died) is deleted by any worker's heartbeat. The registry is
-- in PostgreSQL because the embedded Temporal test server does not answer DescribeTaskQueue
-- reliably. profiles: the agent profiles the worker runs and their fleet-wide slot capacity, e.g.
-- {"claude-code": 2}.
CREATE TABLE workers (
    identity    TEXT        PRIMARY KEY,
    host        TEXT        NOT NULL,
    pid         BIGINT      NOT NULL,
    task_queue  TEXT        NOT NULL,
    agent_slots INTEGER     NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL,
    draining    BOOLEAN     NOT NULL DEFAULT FALSE,
    profiles    JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX workers_last_seen ON workers (last_seen);
-- Which worker runs a granted claim (its Temporal identity), set by the running agent when it
-- starts and on every lease renewal; null while the claim waits or before the run has started.
ALTER TABLE agent_slots ADD COLUMN holder TEXT;
-- When the claim started waiting (submitted_at is the task's creation time, which orders the
-- queue): the slot wait metric and the oldest wait per profile. Null for claims made before V12.
ALTER TABLE agent_slots ADD COLUMN waiting_since TIMESTAMPTZ;
-- When the claim was granted: how long its run has held the slot.
ALTER TABLE agent_slots ADD COLUMN granted_at TIMESTAMPTZ;
