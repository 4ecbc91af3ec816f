-- Recurring schedules: one durable workflow each (workflow id schedule-<id>). The API writes the
-- name, the task template and its secrets; the schedule workflow writes the rest (spec, paused,
-- fire times) through an activity, guarded by a growing version like the task projection.
CREATE TABLE schedules (
    id                 TEXT        PRIMARY KEY,
    owner              TEXT        NOT NULL,
    name               TEXT        NOT NULL,
    cron               TEXT        NOT NULL,
    time_zone          TEXT        NOT NULL,
    -- The validated task input every run starts from, with a null task id.
    task               JSONB       NOT NULL,
    overlap            TEXT        NOT NULL,
    -- An ISO-8601 duration, at most P30D.
    catchup_window     TEXT        NOT NULL,
    paused             BOOLEAN     NOT NULL,
    -- Null while paused.
    next_fire_time     TIMESTAMPTZ,
    last_fire_time     TIMESTAMPTZ,
    -- Fire times up to here are dealt with: after a dev restart, catch-up starts here.
    handled_until      TIMESTAMPTZ NOT NULL,
    -- A fire waiting for the previous run to end (overlap BUFFER_ONE).
    buffered_fire_time TIMESTAMPTZ,
    state_version      BIGINT      NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    -- Deleted schedules stay, with their runs, and free their name.
    deleted_at         TIMESTAMPTZ
);
CREATE UNIQUE INDEX schedules_owner_name ON schedules (owner, name) WHERE deleted_at IS NULL;
CREATE INDEX schedules_newest ON schedules (created_at DESC, id DESC);

-- Secrets of the template's publish targets and notify channels, copied to task_secrets for each
-- run the schedule starts.
CREATE TABLE schedule_secrets (
    schedule_id TEXT        NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL,
    value       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (schedule_id, name)
);

-- What each fire time did: STARTED a task, or was SKIPPED (OVERLAP, MISSED, DELETED). A cron fire
-- time is recorded once; a task once. Written in the transaction that stores the started task.
CREATE TABLE schedule_runs (
    id          BIGSERIAL   PRIMARY KEY,
    schedule_id TEXT        NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    fire_time   TIMESTAMPTZ NOT NULL,
    -- A manual trigger: fire_time is when it was triggered.
    manual      BOOLEAN     NOT NULL,
    task_id     TEXT,
    outcome     TEXT        NOT NULL,
    reason      TEXT,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX schedule_runs_fire ON schedule_runs (schedule_id, fire_time) WHERE NOT manual;
CREATE UNIQUE INDEX schedule_runs_task ON schedule_runs (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX schedule_runs_newest ON schedule_runs (schedule_id, fire_time DESC, id DESC);
