// parseTaskNotification: the checked webhook body for receivers written in JavaScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt } from '../harness.js';

ensureBuilt();
const { default: init, parseTaskNotification, YottaError } = await import('../../pkg/index.js');
await init();

const body = {
  task_id: 9007199254740993, user_task_id: 'my_task_001', endpoint_id: '378888638324150969', status: 'Success',
  success: true, timestamp: '2024-01-15T10:31:00Z', retry_count: 1, result: { response: 'Hi there!' },
};

test('a JSON string and an object parse the same', () => {
  const fromText = parseTaskNotification(JSON.stringify(body).replace('9007199254740992', '9007199254740993'));
  assert.equal(fromText.taskId, 'my_task_001');
  assert.equal(fromText.endpointId, '378888638324150969');
  assert.equal(fromText.success, true);
  assert.deepEqual(fromText.result, { response: 'Hi there!' });
  assert.equal(parseTaskNotification({ ...body, task_id: 77 }).platformTaskId, '77');
});

test('the platform task id keeps its digits when parsed from text', () => {
  const text = '{"task_id": 9007199254740993, "user_task_id": "t", "endpoint_id": "1", "status": "Failed", "success": false, "timestamp": "0", "retry_count": 3, "failed_reason": "oom"}';
  const note = parseTaskNotification(text);
  assert.equal(note.platformTaskId, '9007199254740993');
  assert.equal(note.failedReason, 'oom');
});

test('a bad body throws a validation YottaError naming the field', () => {
  assert.throws(() => parseTaskNotification({ ...body, task_id: 7, status: 'Done' }), (e) => e instanceof YottaError && e.kind === 'validation' && e.field === 'status');
  assert.throws(() => parseTaskNotification('{'), (e) => e.field === 'body');
});
