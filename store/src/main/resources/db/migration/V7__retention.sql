-- Retention (taskpilot.retention.*): a sweep deletes finished tasks with all their rows some time
-- after they ended, and the rows tied to no task that grow for ever, in small batches. These
-- indexes let each batch find its rows without scanning whole tables. The task's own rows
-- (output, secrets, publications and their attempts, notifications, approval tokens) go with the
-- task row through their ON DELETE CASCADE foreign keys; llm_calls, agent_slots and schedule_runs
-- name their task without a foreign key and are deleted by task id.

-- Finished tasks, oldest end (last status change) first.
CREATE INDEX tasks_ended ON tasks (updated_at, id)
    WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED');

-- LLM calls of no task (the chat's), oldest first.
CREATE INDEX llm_calls_untied ON llm_calls (created_at) WHERE task_id IS NULL;

-- Fire times a schedule skipped (no task), oldest first.
CREATE INDEX schedule_runs_skipped ON schedule_runs (recorded_at)
    WHERE task_id IS NULL AND NOT manual;

-- Deleted schedules, whose rows stay for a while with their runs.
CREATE INDEX schedules_deleted ON schedules (deleted_at) WHERE deleted_at IS NOT NULL;
