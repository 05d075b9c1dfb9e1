// Every YottaClient method against the simulator, in v1 and v2 mode, from Node (global fetch).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_WAIT as fast, ensureBuilt, queueSpec, startSimulator } from '../harness.js';

ensureBuilt();
const { default: init, GPU_TYPES, YottaClient, YottaError, YottaIterator } = await import('../../dist/index.js');

const KEY = 'node-test-key';
let sim;

before(async () => {
  await init();
  await init(); // a second call shares the first load
  sim = await startSimulator(['--api-key', KEY]);
});
after(() => sim?.stop());

const spec = queueSpec;

for (const apiVersion of ['v1', 'v2']) {
  describe(`API ${apiVersion}`, () => {
    const client = () => new YottaClient({ baseUrl: sim.url, apiKey: KEY, apiVersion });

    test('endpoint lifecycle: create, wait, get, list, update, scale, start, stop, delete', async () => {
      const yotta = client();
      assert.equal(yotta.apiVersion, apiVersion);
      const created = await yotta.createEndpoint(spec(`node-${apiVersion}`));
      assert.equal(typeof created.id, 'string');
      assert.ok(BigInt(created.id) > 2n ** 53n, 'ids above 2^53 arrive as exact strings');
      const state = await sim.admin('state');
      assert.ok(state.endpoints.some((e) => e.id === created.id), 'the id matches the simulator exactly');

      const seen = [];
      const running = await yotta.waitForStatus(created.id, 'RUNNING', { ...fast, onProgress: (e) => seen.push(e.status) });
      assert.equal(running.status, 'RUNNING');
      assert.ok(seen.length >= 1 && seen.at(-1) === 'RUNNING');
      assert.deepEqual(running.environmentVars, [{ key: 'MODEL', value: 'llama' }]);
      assert.equal((await yotta.getEndpoint(created.id)).name, `node-${apiVersion}`);
      assert.ok((await yotta.listEndpoints({ status: 'RUNNING' })).some((e) => e.id === created.id));
      assert.ok((await yotta.listEndpoints({ status: ['STOPPED', 'RUNNING'] })).some((e) => e.id === created.id));
      assert.ok((await yotta.listEndpoints()).length >= 1);

      await yotta.scaleWorkers(created.id, 2);
      await yotta.stopEndpoint(created.id);
      const stopped = await yotta.waitForStatus(created.id, 'STOPPED', fast);
      const updated = await yotta.updateEndpoint(created.id, {
        name: `node-${apiVersion}-2`, resources: spec('x').resources, workers: 1, containerVolumeInGb: 60,
      });
      assert.equal(updated.name, `node-${apiVersion}-2`);
      assert.equal(updated.containerVolumeInGb, 60);
      assert.equal(stopped.status, 'STOPPED');
      await yotta.startEndpoint(created.id);
      await yotta.waitForStatus(created.id, 'RUNNING', fast);
      await yotta.stopEndpoint(created.id);
      await yotta.waitForStatus(created.id, 'STOPPED', fast);
      assert.equal(await yotta.deleteEndpoint(created.id), undefined);
      await assert.rejects(yotta.getEndpoint(created.id), (e) => e instanceof YottaError && e.kind === 'notFound');
    });

    test('workers and logs: a page, iteration both ways, follow with break', async () => {
      const yotta = client();
      const { id } = await yotta.createEndpoint(spec(`logs-${apiVersion}`));
      await yotta.waitForStatus(id, 'RUNNING', fast);
      const workers = await yotta.listWorkers(id, { status: 'RUNNING' });
      assert.equal(workers.length, 1);
      const worker = workers[0].id;
      const page = await yotta.workerLogsPage(id, worker, { pageSize: 10 });
      assert.equal(page.logs.length, 10);
      assert.equal(page.hasMore, true);
      const second = await yotta.workerLogsPage(id, worker, { pageSize: 10, after: page.next });
      assert.equal(second.logs[0].offset, page.logs[9].offset + 1);

      const forward = [];
      for await (const line of yotta.workerLogs(id, worker, { pageSize: 100 })) forward.push(line);
      assert.ok(forward.length > 250, `backlog plus start-up lines: ${forward.length}`);
      const iterator = yotta.workerLogs(id, worker, { pageSize: 7, direction: 'Backward' });
      assert.ok(iterator instanceof YottaIterator);
      const first = await iterator.next();
      assert.deepEqual(first.value, forward.at(-1), 'backward starts with the newest line');
      await iterator.return();
      assert.deepEqual(await iterator.next(), { value: undefined, done: true });

      const matching = [];
      for await (const line of yotta.workerLogs(id, worker, { keyword: 'ready' })) matching.push(line);
      assert.ok(matching.length >= 1 && matching.every((l) => l.log.toLowerCase().includes('ready')));

      const followed = [];
      for await (const line of yotta.workerLogs(id, worker, { follow: true, followIntervalMs: 20, pageSize: 1000 })) {
        followed.push(line);
        if (followed.length === forward.length + 1) break;
        if (followed.length === forward.length) {
          await sim.admin(`endpoints/${id}/workers/${worker}/logs`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: ['tail me'] }),
          });
        }
      }
      assert.equal(followed.at(-1).log, 'tail me');
    });

    test('tasks: submit, get, list, iterate, count, wait', async () => {
      const yotta = client();
      const { id } = await yotta.createEndpoint(spec(`tasks-${apiVersion}`));
      const taskId = await yotta.submitTask(id, {
        taskId: 'node_task', input: { prompt: 'hi', big: 9007199254740993n }, workerPort: 8000, processUri: '/run',
      });
      assert.equal(taskId, 'node_task');
      const generated = await yotta.submitTask(id, { input: [1, 2], workerPort: 8000, processUri: '/run' });
      assert.match(generated, /^[0-9a-f]{32}$/);
      const done = await yotta.waitForTask(id, taskId, fast);
      assert.equal(done.status, 'SUCCESS');
      assert.equal(done.output.echo.big, 9007199254740992, 'by default, task data reads as JSON.parse reads it');
      const exact = new YottaClient({ baseUrl: sim.url, apiKey: KEY, apiVersion, bigint: true });
      const exactly = await exact.getTask(id, taskId);
      assert.equal(exactly.output.echo.big, 9007199254740993n, 'opted in, integers beyond 2^53 arrive as exact bigints');
      assert.equal(exactly.output.echo.prompt, 'hi');
      assert.equal((await yotta.getTask(id, taskId)).input.prompt, 'hi');
      await yotta.waitForTask(id, generated, fast);
      const page = await yotta.listTasks(id, { pageSize: 1, pageNumber: 2 });
      assert.deepEqual([page.items.length, page.total, page.pages, page.page], [1, 2, 2, 2]);
      const all = [];
      for await (const task of yotta.tasks(id, { status: 'SUCCESS' })) all.push(task.taskId);
      assert.deepEqual(all.sort(), [generated, taskId].sort());
      assert.deepEqual(await yotta.taskCount(id), { processing: 0 });
    });

    test('registry credentials and a private image: create, list, get, update, in use, delete', async () => {
      const yotta = client();
      const name = `reg${apiVersion}`;
      const created = await yotta.createCredential({ name, type: 'DOCKER_HUB', username: 'me', password: 'hunter2-secret' });
      assert.equal(typeof created.id, 'string', 'a credential id is exact text like every id');
      assert.equal(created.name, name);
      assert.equal(created.type, apiVersion === 'v2' ? 'DOCKER_HUB' : null, 'type is sent where the version has it');
      assert.ok(!JSON.stringify(created).includes('hunter2'), 'the secret never comes back');
      const state = await sim.admin('state');
      assert.ok(state.credentials.some((c) => c.id === created.id && c.secret === '***'));
      const recorded = (await sim.admin('requests')).requests.filter((r) => r.path.includes('credential') || r.path.includes('registry'));
      assert.ok(recorded.length >= 1 && !JSON.stringify(recorded).includes('hunter2'), 'the request log redacts it');

      assert.ok((await yotta.listCredentials()).some((c) => c.id === created.id));
      assert.equal((await yotta.getCredential(created.id)).name, name);
      const token = await yotta.createCredential({ name: `${name}t`, username: 'me', token: 'v1-spelling' });
      assert.equal(token.name, `${name}t`, "v1's `token` is accepted as the secret's spelling");
      const renamed = await yotta.updateCredential(created.id, { name: `${name}x` });
      assert.equal(renamed.name, `${name}x`);

      const endpoint = await yotta.createEndpoint({ ...spec(`private-${apiVersion}`), image: 'registry.example/me/model:1', credentialId: created.id });
      assert.equal(endpoint.credentialId, created.id);
      await assert.rejects(yotta.deleteCredential(created.id),
        (e) => e instanceof YottaError && e.kind === 'notAllowed' && e.code === 25002 && /in use/.test(e.message));
      await yotta.stopEndpoint(endpoint.id);
      await yotta.waitForStatus(endpoint.id, 'STOPPED', fast);
      await yotta.deleteEndpoint(endpoint.id);
      assert.equal(await yotta.deleteCredential(created.id), undefined);
      await yotta.deleteCredential(token.id);
      await assert.rejects(yotta.getCredential(created.id), (e) => e instanceof YottaError && e.kind === 'notFound');
      await assert.rejects(yotta.createCredential({ name, username: 'me' }),
        (e) => e instanceof YottaError && e.kind === 'validation' && e.field === 'password', 'checked before sending');
      await assert.rejects(yotta.getCredential(2 ** 53 + 2), (e) => e.kind === 'validation' && e.field === 'id');
    });
  });
}

test('GPU_TYPES: the documented catalogue, frozen, its codes accepted by createEndpoint', async () => {
  assert.ok(GPU_TYPES.length >= 10);
  assert.deepEqual(GPU_TYPES[0], { code: 'NVIDIA_RTX_4090_24G', displayName: 'RTX 4090', vramGb: 24 });
  assert.equal(new Set(GPU_TYPES.map((gpu) => gpu.code)).size, GPU_TYPES.length, 'codes are unique');
  assert.ok(GPU_TYPES.every((gpu) => typeof gpu.displayName === 'string' && Number.isInteger(gpu.vramGb)));
  assert.ok(Object.isFrozen(GPU_TYPES) && GPU_TYPES.every((gpu) => Object.isFrozen(gpu)), 'one list every user shares');
  const yotta = new YottaClient({ baseUrl: sim.url, apiKey: KEY });
  const last = GPU_TYPES.at(-1);
  const created = await yotta.createEndpoint({ ...spec('gpu-catalogue'), resources: [{ region: 'us-east-1', gpuType: last.code, gpuCount: 1 }] });
  assert.equal(created.resources[0].gpuType, last.code);
  assert.equal(created.resources[0].gpuDisplayName, last.displayName, 'the simulator describes it from the same catalogue');
});

describe('YottaError', () => {
  test('is a real Error subclass with code, kind, httpStatus, field, operation, advice', async () => {
    const yotta = new YottaClient({ baseUrl: sim.url, apiKey: KEY });
    const { id } = await yotta.createEndpoint(spec('errors'));
    await yotta.waitForStatus(id, 'RUNNING', fast);
    const error = await yotta.deleteEndpoint(id).catch((e) => e);
    assert.ok(error instanceof YottaError && error instanceof Error);
    assert.equal(error.name, 'YottaError');
    assert.deepEqual(
      [error.kind, error.code, error.httpStatus, error.field, error.operation],
      ['notAllowed', 24002, 200, null, 'deleteEndpoint'],
    );
    assert.equal(error.advice, 'cannot delete an endpoint that is not stopped: stop it first');
    assert.match(error.message, /deleteEndpoint \(v2\).*24002/);
    assert.ok(error.stack);
  });

  test('validation names the field, before anything is sent', async () => {
    const yotta = new YottaClient({ baseUrl: sim.url, apiKey: KEY });
    const bad = { ...spec('ok'), resources: [...spec('ok').resources, { region: 'eu', gpuType: 'H100', gpuCount: 2 }] };
    const error = await yotta.createEndpoint(bad).catch((e) => e);
    assert.deepEqual([error.kind, error.field, error.code, error.httpStatus], ['validation', 'resources[1].gpuCount', null, null]);
    const typed = await yotta.createEndpoint({ ...spec('ok'), workers: 'two' }).catch((e) => e);
    assert.deepEqual([typed.kind, typed.field, typed.operation], ['validation', 'workers', 'createEndpoint']);
    assert.match(typed.message, /^invalid workers: must be a whole number \(got string "two"\)$/);
    const { image, ...imageless } = spec('ok');
    const missing = await yotta.createEndpoint(imageless).catch((e) => e);
    assert.deepEqual([missing.field, missing.message], ['image', 'invalid image: is required']);
    const unknown = await yotta.createEndpoint({ ...spec('ok'), resources: [{ region: 'r', gpuType: 'g', gpuCounts: 1 }] }).catch((e) => e);
    assert.equal(unknown.field, 'resources[0].gpuCounts');
    assert.match(unknown.message, /is not a known field \(expected one of region, gpuType, gpuCount\)/);
    const lossy = await yotta.getEndpoint(378888638324150969).catch((e) => e);
    assert.deepEqual([lossy.kind, lossy.field], ['validation', 'id']);
    assert.throws(() => new YottaClient({ baseUrl: 'http://example.com', apiKey: 'k' }), (e) => e instanceof YottaError && e.field === 'baseUrl');
    assert.throws(() => new YottaClient({ apiKey: 'k', retries: 3 }), (e) => e instanceof YottaError && e.field === 'retries'
      && /is not a known option \(expected one of baseUrl, apiKey, .*, bigint\)/.test(e.message));
  });

  test('unauthorized, network and http kinds', async () => {
    const wrongKey = await new YottaClient({ baseUrl: sim.url, apiKey: 'nope' }).listEndpoints().catch((e) => e);
    assert.deepEqual([wrongKey.kind, wrongKey.httpStatus], ['unauthorized', 401]);
    const closed = await new YottaClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, maxRetries: 0 }).listEndpoints().catch((e) => e);
    assert.equal(closed.kind, 'network');
    assert.ok(!closed.message.includes('\n') && !closed.message.includes('JsValue'), closed.message);
    assert.match(closed.advice, /base URL/);
    const fault = await sim.admin('faults', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec: 'error,status=502,method=GET,path=/v2/serverless' }),
    });
    const gateway = await new YottaClient({ baseUrl: sim.url, apiKey: KEY, maxRetries: 0 }).listEndpoints().catch((e) => e);
    await fetch(`${sim.url}/_sim/faults/${fault.id}`, { method: 'DELETE' });
    assert.deepEqual([gateway.kind, gateway.httpStatus, gateway.code], ['http', 502, null]);
    assert.match(gateway.message, /HTTP 502: 502 Bad Gateway \(HTML page\)$/);
    assert.match(gateway.advice, /try again shortly/);
  });
});

describe('AbortSignal', () => {
  test('an aborted wait rejects with kind aborted, promptly', async () => {
    const yotta = new YottaClient({ baseUrl: sim.url, apiKey: KEY });
    const { id } = await yotta.createEndpoint(spec('abort'));
    await yotta.stopEndpoint(id).catch(() => {});
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await yotta.waitForStatus(id, 'FAILED', { intervalMs: 10, signal: controller.signal }).catch((e) => e);
    assert.deepEqual([error instanceof YottaError, error.kind, error.operation], [true, 'aborted', 'waitForStatus']);
    assert.ok(Date.now() - started < 2000);
  });

  test('an already aborted signal rejects before sending', async () => {
    const yotta = new YottaClient({ baseUrl: sim.url, apiKey: KEY });
    await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
    const error = await yotta.listEndpoints({ signal: AbortSignal.abort() }).catch((e) => e);
    assert.equal(error.kind, 'aborted');
    assert.equal((await sim.admin('requests')).requests.length, 0);
  });

  test('aborting a follow ends the iteration with an aborted error', async () => {
    const yotta = new YottaClient({ baseUrl: sim.url, apiKey: KEY });
    const { id } = await yotta.createEndpoint(spec('abort-tail'));
    await yotta.waitForStatus(id, 'RUNNING', fast);
    const [worker] = await yotta.listWorkers(id);
    const controller = new AbortController();
    let count = 0;
    const error = await (async () => {
      for await (const line of yotta.workerLogs(id, worker.id, { follow: true, followIntervalMs: 20, signal: controller.signal })) {
        count += line ? 1 : 0;
        if (count === 10) setTimeout(() => controller.abort(), 30);
      }
    })().catch((e) => e);
    assert.equal(error.kind, 'aborted');
  });

  test('a signal that is not an AbortSignal is a validation error', async () => {
    const error = await new YottaClient({ baseUrl: sim.url, apiKey: KEY }).listEndpoints({ signal: 'stop' }).catch((e) => e);
    assert.deepEqual([error.kind, error.field], ['validation', 'signal']);
  });
});
