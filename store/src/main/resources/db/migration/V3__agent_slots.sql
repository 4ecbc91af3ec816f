-- Agent run slots shared by the whole worker fleet: at most N running per agent profile, at most one
-- running per plain (non-git) workspace. Waiting claims start in priority order, then submission
-- order. A claim whose lease ran out (its worker died) is forgotten.
CREATE TABLE agent_slots (
    task_id       TEXT        PRIMARY KEY,
    agent         TEXT        NOT NULL,
    workspace_key TEXT,
    priority      INTEGER     NOT NULL,
    submitted_at  TIMESTAMPTZ NOT NULL,
    state         TEXT        NOT NULL,
    lease_until   TIMESTAMPTZ NOT NULL
);
CREATE INDEX agent_slots_agent ON agent_slots (agent, state);
