-- Agent slots become a queue that is granted, not polled: whatever frees capacity (a release, an
-- expired lease, a sweep) grants the next waiting claims in the same transaction and signals their
-- workflows. A claim carries the workflow's claim number, so a late grant signal of an earlier
-- claim is told apart. A waiting claim's lease is long (its workflow renews it when its safety-net
-- timer fires); a granted claim's lease is short and renewed by the running agent.
ALTER TABLE agent_slots ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
DROP INDEX agent_slots_agent;
-- The queue: the best waiting claim of an agent first.
CREATE INDEX agent_slots_queue ON agent_slots (agent, state, priority DESC, submitted_at, task_id);
-- Is a plain workspace taken?
CREATE INDEX agent_slots_running_workspace ON agent_slots (workspace_key) WHERE state = 'RUNNING';
CREATE INDEX agent_slots_lease ON agent_slots (lease_until);
