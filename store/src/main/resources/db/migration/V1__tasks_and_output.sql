-- The task projection: what the API lists and filters. Temporal owns a task's progress; every
-- status change arrives here through the projection activity, guarded by a growing version.
CREATE TABLE tasks (
    id              TEXT        PRIMARY KEY,
    owner           TEXT        NOT NULL,
    title           TEXT        NOT NULL,
    prompt          TEXT        NOT NULL,
    agent           TEXT        NOT NULL,
    workspace       TEXT,
    labels          TEXT[]      NOT NULL DEFAULT '{}',
    status          TEXT        NOT NULL,
    status_reason   TEXT,
    priority        INTEGER     NOT NULL,
    not_before      TIMESTAMPTZ,
    approval_gate   TEXT,
    plan            JSONB,
    run             JSONB,
    result          JSONB,
    error           JSONB,
    -- The validated request the workflow was started from, so a task can be started again.
    request         JSONB       NOT NULL,
    idempotency_key TEXT,
    request_hash    TEXT        NOT NULL,
    version         BIGINT      NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX tasks_owner_idempotency_key
    ON tasks (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tasks_newest ON tasks (created_at DESC, id DESC);
CREATE INDEX tasks_status_newest ON tasks (status, created_at DESC, id DESC);
CREATE INDEX tasks_labels ON tasks USING GIN (labels);

-- Agent output, one row per line; line numbers continue across run attempts.
CREATE TABLE task_output (
    id         BIGSERIAL   PRIMARY KEY,
    task_id    TEXT        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    line_no    BIGINT      NOT NULL,
    attempt    INTEGER     NOT NULL,
    text       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (task_id, line_no)
);
