// parseTaskNotification: the checked webhook body for receivers written in JavaScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt } from '../harness.js';

ensureBuilt();
const { default: init, parseTaskNotification, verifyTaskNotification, YottaError } = await import('../../dist/index.js');
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

test('verifyTaskNotification checks the key in constant time and the age', () => {
  const text = JSON.stringify({ ...body, task_id: 77 });
  const note = verifyTaskNotification(text, 'Bearer s3cret', { expectedKey: 's3cret' });
  assert.equal(note.taskId, 'my_task_001');
  assert.equal(verifyTaskNotification(body, 's3cret', { expectedKey: 's3cret' }).success, true);
  for (const wrong of ['Bearer s3cre', 'other', '', null, undefined]) {
    assert.throws(() => verifyTaskNotification(text, wrong, { expectedKey: 's3cret' }),
      (e) => e instanceof YottaError && e.kind === 'validation' && e.field === 'authorization');
  }
  assert.throws(() => verifyTaskNotification(text, 'Bearer ', { expectedKey: '' }),
    (e) => e instanceof YottaError && e.kind === 'configuration' && e.field === 'webhookAuthKey');
  // Sent in 2024: far older than an hour.
  assert.throws(() => verifyTaskNotification(text, 'Bearer s3cret', { expectedKey: 's3cret', maxAgeMs: 3_600_000 }),
    (e) => e.kind === 'validation' && e.field === 'timestamp');
  const fresh = JSON.stringify({ ...body, task_id: 77, timestamp: String(Date.now()) });
  assert.equal(verifyTaskNotification(fresh, 'Bearer s3cret', { expectedKey: 's3cret', maxAgeMs: 60_000 }).retryCount, 1);
});

test('cyclic or very deep input is a validation error, and the module keeps working', () => {
  const cyclic = { ...body };
  cyclic.result = { self: cyclic };
  assert.throws(() => parseTaskNotification(cyclic), (e) => e instanceof YottaError && e.kind === 'validation' && e.field === 'result.self');
  let deep = {};
  for (let i = 0; i < 100; i++) deep = { deep };
  assert.throws(() => parseTaskNotification({ ...body, result: deep }), (e) => e.kind === 'validation' && /nested more than 64/.test(e.message));
  assert.equal(parseTaskNotification(body).taskId, 'my_task_001');
});
