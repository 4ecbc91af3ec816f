-- The agent session a task's run has reached, written by the run as soon as the agent names it (the
-- task's projected run only learns it when the run ends), so a task restarted from PostgreSQL can
-- continue the session. One row per task; it goes with the task.
CREATE TABLE agent_sessions (
    task_id    TEXT        PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    session_id TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
