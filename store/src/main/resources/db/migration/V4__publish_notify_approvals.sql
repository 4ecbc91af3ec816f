-- Secrets a task's publish targets and notify channels use (a webhook's signing secret, an ntfy
-- access token). They never enter a workflow's history or the stored request: the API writes them
-- here under the target's or channel's key, and the activities read them when they send.
CREATE TABLE task_secrets (
    task_id    TEXT        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL,
    value      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (task_id, name)
);

-- The publish ledger: one row per (task, target). PENDING -> SENDING -> DELIVERED | FAILED | UNKNOWN.
-- A DELIVERED row is never sent again; an UNKNOWN one (or a SENDING one whose worker died) is
-- reconciled with the target before anything is resent. Transitions are compare-and-set updates.
CREATE TABLE publications (
    task_id         TEXT        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    target_key      TEXT        NOT NULL,
    target_type     TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    -- The webhook's Idempotency-Key: the same for every retry on every worker.
    idempotency_key TEXT        NOT NULL,
    -- What was (or is being) delivered: the file's content hash, the git commit pushed.
    content_hash    TEXT,
    commit_sha      TEXT,
    location        TEXT,
    detail          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    PRIMARY KEY (task_id, target_key)
);

-- Why, for every attempt: one row per send or reconciliation.
CREATE TABLE publication_attempts (
    id          BIGSERIAL   PRIMARY KEY,
    task_id     TEXT        NOT NULL,
    target_key  TEXT        NOT NULL,
    attempt     INTEGER     NOT NULL,
    action      TEXT        NOT NULL,
    outcome     TEXT        NOT NULL,
    http_status INTEGER,
    error       TEXT,
    started_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (task_id, target_key) REFERENCES publications (task_id, target_key)
        ON DELETE CASCADE
);
CREATE INDEX publication_attempts_target ON publication_attempts (task_id, target_key, id);

-- The notification audit: one row per attempt on one channel.
CREATE TABLE notifications (
    id          BIGSERIAL   PRIMARY KEY,
    task_id     TEXT        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    channel     TEXT        NOT NULL,
    event       TEXT        NOT NULL,
    attempt     INTEGER     NOT NULL,
    -- SENT, or FAILED (retried) / GAVE_UP (the last attempt failed).
    outcome     TEXT        NOT NULL,
    http_status INTEGER,
    error       TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX notifications_task ON notifications (task_id, id);

-- One-tap approval links: random tokens stored only as their SHA-256, scoped to one task and one
-- approval gate (its number within the task), single-use; the workflow refuses a closed gate.
CREATE TABLE approval_tokens (
    token_hash TEXT        PRIMARY KEY,
    task_id    TEXT        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    gate       INTEGER     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    used_for   TEXT
);
CREATE INDEX approval_tokens_task ON approval_tokens (task_id, gate);
