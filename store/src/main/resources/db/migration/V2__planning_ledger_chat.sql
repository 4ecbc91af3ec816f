-- The owner's standing context, read by the planner.
CREATE TABLE owner_context (
    owner                TEXT        PRIMARY KEY,
    time_zone            TEXT        NOT NULL,
    working_hours_start  TEXT,
    working_hours_end    TEXT,
    working_days         TEXT[]      NOT NULL DEFAULT '{}',
    within_working_hours BOOLEAN     NOT NULL DEFAULT FALSE,
    preferences          TEXT        NOT NULL DEFAULT '',
    updated_at           TIMESTAMPTZ NOT NULL
);

-- One row per HTTP call to an LLM: what was asked, what came back, what it cost. Prompts and
-- responses live here, never in workflow history. API keys are never stored.
CREATE TABLE llm_calls (
    id            BIGSERIAL     PRIMARY KEY,
    owner         TEXT          NOT NULL,
    task_id       TEXT,
    purpose       TEXT          NOT NULL,
    provider      TEXT          NOT NULL,
    model         TEXT,
    request       JSONB         NOT NULL,
    response      JSONB,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost_usd      NUMERIC(14, 6),
    duration_ms   BIGINT        NOT NULL,
    outcome       TEXT          NOT NULL,
    error         TEXT,
    created_at    TIMESTAMPTZ   NOT NULL
);
CREATE INDEX llm_calls_task ON llm_calls (task_id, id);

-- The chat assistant's conversation per owner, as LangChain4j's message JSON.
CREATE TABLE chat_conversations (
    owner      TEXT        PRIMARY KEY,
    messages   JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
