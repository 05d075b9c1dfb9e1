// run(), waitForTask on failed tasks, patchEndpoint and updateEndpoint with a fetched endpoint,
// in both API versions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_WAIT as fast, ensureBuilt, queueSpec, startSimulator } from '../harness.js';

ensureBuilt();
const { YottaClient, YottaError, YottaTaskFailedError } = await import('../../dist/index.js');

const KEY = 'changes-test-key';
let sim;

before(async () => {
  sim = await startSimulator(['--api-key', KEY]);
});
after(() => sim?.stop());

const spec = (name) => queueSpec(name, { webhook: 'https://hooks.example.com/yotta' });
const task = (input) => ({ input, workerPort: 8000, processUri: '/run' });

describe('tasks', () => {
  const yotta = () => new YottaClient({ baseUrl: sim.url, apiKey: KEY });

  test('run submits, waits and resolves with the output', async () => {
    const client = yotta();
    const { id } = await client.createEndpoint(spec('run'));
    const seen = [];
    const output = await client.run(id, task({ prompt: 'hi' }), { ...fast, onProgress: (t) => seen.push(t.status) });
    assert.deepEqual(output.echo, { prompt: 'hi' });
    assert.equal(seen.at(-1), 'SUCCESS');
  });

  test('a FAILED task: run rejects with taskFailed, waitForTask resolves with the task', async () => {
    const client = yotta();
    const { id } = await client.createEndpoint(spec('failing'));
    const error = await client.run(id, { ...task({ simulateFailure: 'CUDA out of memory' }), taskId: 'doomed_1' }, fast)
      .catch((e) => e);
    assert.ok(error instanceof YottaTaskFailedError && error instanceof YottaError);
    assert.deepEqual([error.kind, error.taskId, error.endpointId, error.taskError],
      ['taskFailed', 'doomed_1', id, 'CUDA out of memory']);
    assert.match(error.message, /doomed_1.*CUDA out of memory/);
    assert.match(error.advice, /logs/);

    const taskId = await client.submitTask(id, task({ simulateFailure: 'bad input' }));
    const done = await client.waitForTask(id, taskId, fast);
    assert.deepEqual([done.status, done.error], ['FAILED', 'bad input'], 'the final task, whatever its status');
  });

  test('run checks its arguments before sending', async () => {
    const error = await yotta().run('1', { input: {}, workerPort: 0, processUri: '/run' }).catch((e) => e);
    assert.deepEqual([error.kind, error.field, error.operation], ['validation', 'workerPort', 'run']);
  });
});

for (const apiVersion of ['v1', 'v2']) {
  describe(`endpoint changes (${apiVersion})`, () => {
    const yotta = () => new YottaClient({ baseUrl: sim.url, apiKey: KEY, apiVersion });

    /** A RUNNING endpoint, stopped first in v1 (which updates only STOPPED endpoints). */
    async function ready(client, name) {
      const { id } = await client.createEndpoint(spec(name));
      await client.waitForStatus(id, 'RUNNING', fast);
      if (apiVersion === 'v1') {
        await client.stopEndpoint(id);
        await client.waitForStatus(id, 'STOPPED', fast);
      }
      return id;
    }

    test('patchEndpoint changes the fields given and keeps the others', async () => {
      const client = yotta();
      const id = await ready(client, `patch-${apiVersion}`);
      const changes = { containerVolumeInGb: 80, environmentVars: [{ key: 'MODEL', value: 'llama-70b' }], webhook: null };
      if (apiVersion === 'v1') changes.workers = 1; // stopped: no live workers to keep the count from
      const patched = await client.patchEndpoint(id, changes);
      assert.equal(patched.containerVolumeInGb, 80);
      assert.deepEqual(patched.environmentVars, [{ key: 'MODEL', value: 'llama-70b' }]);
      assert.equal(patched.name, `patch-${apiVersion}`, 'kept');
      assert.equal(patched.webhook, 'https://hooks.example.com/yotta', 'null keeps the current value');
      assert.deepEqual(patched.resources.map((r) => r.gpuType), ['NVIDIA_RTX_4090_24G']);
    });

    test('patchEndpoint refuses what it cannot know or does not take', async () => {
      const client = yotta();
      const id = await ready(client, `patch-refused-${apiVersion}`);
      if (apiVersion === 'v1') {
        const unknown = await client.patchEndpoint(id, { name: 'x' }).catch((e) => e);
        assert.deepEqual([unknown.kind, unknown.field], ['validation', 'workers'], 'a stopped endpoint reports no workers');
      }
      const typo = await client.patchEndpoint(id, { worker: 2 }).catch((e) => e);
      assert.deepEqual([typo.kind, typo.field], ['validation', 'worker']);
      const image = await client.patchEndpoint(id, { image: 'other' }).catch((e) => e);
      assert.equal(image.field, 'image', 'a patch cannot change the image');
    });

    test('updateEndpoint takes a fetched endpoint with changes, ignoring its read-only fields', async () => {
      const client = yotta();
      const id = await ready(client, `update-${apiVersion}`);
      const current = await client.getEndpoint(id);
      assert.ok(current.resources[0].regionDisplayName, 'the fetched resources carry display names');
      const updated = await client.updateEndpoint(id, { ...current, name: `renamed-${apiVersion}`, workers: 1 });
      assert.equal(updated.name, `renamed-${apiVersion}`);
      assert.equal(updated.containerVolumeInGb, 40);
      assert.deepEqual(updated.environmentVars, [{ key: 'MODEL', value: 'llama' }]);
      const typo = await client.updateEndpoint(id, { ...current, workers: 1, containerVolumeGb: 9 }).catch((e) => e);
      assert.deepEqual([typo.kind, typo.field], ['validation', 'containerVolumeGb'], 'unknown fields are still refused');
    });
  });
}
