// Tasks of a joint handling (联合处置) record (issue 19): found by id, and by due date for the overdue list.
CREATE CONSTRAINT joint_task_id IF NOT EXISTS FOR (t:JointTask) REQUIRE t.id IS UNIQUE;
CREATE INDEX joint_task_due IF NOT EXISTS FOR (t:JointTask) ON (t.state, t.due);
