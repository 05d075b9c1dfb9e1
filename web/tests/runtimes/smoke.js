// The runtime smoke suite: one scenario, run unchanged in every runtime the package is tested in
// (Node 20 and 22, Bun, Deno, workerd, Chromium, Firefox). It imports nothing: each runner passes
// the package's exports and a client configured the way that runtime is (environment variables,
// bindings, the page's own origin). It throws on the first failed check and returns what the
// Node side checks against the simulator.

/** Throws `message` unless `condition`. */
function check(condition, message) {
  if (!condition) throw new Error(`smoke check failed: ${message}`);
}

const SPEC = {
  image: 'vllm/vllm-openai:latest',
  resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],
  workers: 1,
  containerVolumeInGb: 40,
  serviceMode: 'QUEUE',
};
const FAST = { timeoutMs: 20_000, intervalMs: 20 };

/**
 * Creates an endpoint and waits for it, runs a task, reads logs, provokes a typed business error
 * and an abort, and stops the endpoint. `client` must be created with `{ bigint: true }`.
 */
export async function smoke(yotta, client, name) {
  const { YottaError, YottaApiError, YottaAbortError } = yotta;
  const steps = [];

  const created = await client.createEndpoint({ ...SPEC, name });
  check(typeof created.id === 'string' && BigInt(created.id) > 2n ** 53n, `the id is an exact string above 2^53 (${created.id})`);
  steps.push('create');

  const running = await client.waitForStatus(created.id, 'RUNNING', FAST);
  check(running.id === created.id && running.status === 'RUNNING', 'waitForStatus resolves with the RUNNING endpoint');
  steps.push('wait');

  const big = 9007199254740993n;
  const progress = [];
  const output = await client.run(created.id, { input: { prompt: 'hi', big }, workerPort: 8000, processUri: '/run' },
    { ...FAST, onProgress: (task) => progress.push(task.status) });
  check(output?.echo?.prompt === 'hi', `run resolves with the task's output (${JSON.stringify(output, (_, v) => typeof v === 'bigint' ? `${v}n` : v)})`);
  check(output.echo.big === big, 'an integer above 2^53 in the output is an exact bigint');
  check(progress.at(-1) === 'SUCCESS', `run reports progress (${progress})`);
  steps.push('run');

  const [worker] = await client.listWorkers(created.id);
  const lines = [];
  for await (const line of client.workerLogs(created.id, worker.id, { pageSize: 50 })) {
    lines.push(line);
    if (lines.length === 60) break;
  }
  check(lines.length === 60 && typeof lines[0].log === 'string', `workerLogs iterates across pages (${lines.length} lines)`);
  steps.push('logs');

  const refused = await client.deleteEndpoint(created.id).then(() => undefined, (error) => error);
  check(refused instanceof YottaError && refused instanceof YottaApiError, 'a business error is a YottaApiError');
  check(refused.kind === 'notAllowed' && refused.code === 24002 && refused.operation === 'deleteEndpoint',
    `the business error is typed (${refused?.kind} ${refused?.code})`);
  steps.push('typed error');

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  const aborted = await client.waitForStatus(created.id, 'FAILED', { intervalMs: 10, signal: controller.signal })
    .then(() => undefined, (error) => error);
  check(aborted instanceof YottaAbortError && aborted.kind === 'aborted', `an aborted call rejects with kind aborted (${aborted})`);
  check(aborted.cause === controller.signal.reason, 'the abort error\'s cause is the signal\'s reason');
  check(Date.now() - started < 5_000, 'the abort is prompt');
  steps.push('abort');

  // Left STOPPED, not deleted, so the Node side can compare the id with the simulator's state.
  await client.stopEndpoint(created.id);
  await client.waitForStatus(created.id, 'STOPPED', FAST);
  steps.push('stop');

  return { id: created.id, steps };
}
