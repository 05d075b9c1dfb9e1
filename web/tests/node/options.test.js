// The client's options (fetch, defaultHeaders, logLevel, logger), every method's call options
// ({ signal, timeoutMs, maxRetries, headers }) and what errors carry (cause, httpStatus,
// bodyExcerpt, the subclass of their kind), against the simulator with injected faults.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, startSimulator } from '../harness.js';

ensureBuilt();
const {
  YottaClient, YottaError, YottaApiError, YottaNetworkError, YottaTimeoutError, YottaAbortError, YottaInputError,
} = await import('../../dist/index.js');

const KEY = 'options-test-key-0123456789';
let sim;

before(async () => {
  sim = await startSimulator(['--api-key', KEY]);
});
after(() => sim?.stop());

/** Injects a fault (`KIND,key=value...`) until `body` is done. */
async function withFault(spec, body) {
  const fault = await sim.admin('faults', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec }),
  });
  try {
    return await body();
  } finally {
    await fetch(`${sim.url}/_sim/faults/${fault.id}`, { method: 'DELETE' });
  }
}

/** The requests the simulator received during `body`. */
async function recorded(body) {
  await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
  await body();
  return (await sim.admin('requests')).requests;
}

/** A console-like logger keeping its lines. */
function memoryLogger() {
  const lines = [];
  const at = (level) => (message) => lines.push(`${level} ${message}`);
  return { lines, logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } };
}

const client = (options = {}) => new YottaClient({ baseUrl: sim.url, apiKey: KEY, ...options });

describe('client options', () => {
  test('fetch sends every request; its failure is the error\'s cause', async () => {
    const seen = [];
    const counting = (url, init) => {
      seen.push(`${init.method} ${new URL(url).pathname}`);
      return fetch(url, init);
    };
    const yotta = client({ fetch: counting });
    await yotta.listEndpoints();
    await yotta.listEndpoints({ status: 'RUNNING' });
    assert.deepEqual(seen, ['GET /v2/serverless', 'GET /v2/serverless']);

    const boom = new TypeError('boom: no route to host');
    const failing = client({ fetch: async () => { throw boom; }, maxRetries: 0, logLevel: 'off' });
    const error = await failing.listEndpoints().catch((e) => e);
    assert.ok(error instanceof YottaNetworkError && error instanceof YottaError);
    assert.equal(error.kind, 'network');
    assert.equal(error.cause, boom, 'the cause is what fetch rejected with');
    assert.match(error.message, /boom: no route to host/);
  });

  test('a real connection failure carries Node\'s TypeError as the cause', async () => {
    const error = await new YottaClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, maxRetries: 0, logLevel: 'off' })
      .listEndpoints().catch((e) => e);
    assert.equal(error.kind, 'network');
    assert.ok(error.cause instanceof TypeError, `cause: ${error.cause}`);
  });

  test('defaultHeaders go with every request, per-call headers after them', async () => {
    const yotta = client({ defaultHeaders: { 'X-Team': 'ml', 'x-trace': 'client' } });
    const requests = await recorded(async () => {
      await yotta.listEndpoints();
      await yotta.listEndpoints({ headers: { 'x-request-id': 'call-1' } });
    });
    assert.deepEqual(requests.map((r) => [r.headers['x-team'], r.headers['x-request-id']]), [['ml', undefined], ['ml', 'call-1']]);
    const bad = await yotta.listEndpoints({ headers: { 'x-number': 7 } }).catch((e) => e);
    assert.deepEqual([bad.kind, bad.field], ['validation', 'headers.x-number']);
    const owned = await yotta.listEndpoints({ headers: { 'content-type': 'text/plain' } }).catch((e) => e);
    assert.deepEqual([owned.kind, owned.field], ['validation', 'headers.content-type']);
  });
});

describe('logging', () => {
  test('info: one line per attempt with method, path, status, attempt and duration; never the key', async () => {
    const { lines, logger } = memoryLogger();
    const yotta = client({ logLevel: 'info', logger });
    await yotta.listEndpoints();
    await yotta.getEndpoint('1').catch(() => {});
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^info yotta: GET \/v2\/serverless -> 200 \(attempt 1, \d+ ms\)$/);
    assert.match(lines[1], /^info yotta: GET \/v2\/serverless\/1 -> 200 \(attempt 1, \d+ ms\): getEndpoint \(v2\): .*notFound\)$/,
      'a business refusal is info: the call rejects with it');
    assert.ok(lines.every((line) => !line.includes(KEY)));
  });

  test('warn (the default) logs retried attempts with their delay, error the calls that got no answer', async () => {
    const { lines, logger } = memoryLogger();
    const yotta = client({ logger });
    await withFault('error,status=503,count=1,path=/v2/serverless', () => yotta.listEndpoints());
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^warn yotta: GET \/v2\/serverless -> 503 \(attempt 1, \d+ ms, retry in \d+ ms\): /);
    lines.length = 0;
    await withFault('error,status=502,path=/v2/serverless', () => yotta.listEndpoints({ maxRetries: 0 }).catch(() => {}));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^error yotta: GET \/v2\/serverless -> 502 \(attempt 1, \d+ ms\): /);
    lines.length = 0;
    await yotta.listEndpoints();
    assert.deepEqual(lines, [], 'successes are not logged at warn');
  });

  test('debug adds each method\'s start and end; off logs nothing; YOTTA_LOG sets the default', async () => {
    const { lines, logger } = memoryLogger();
    await client({ logLevel: 'debug', logger }).listEndpoints();
    assert.deepEqual(lines.map((l) => l.replace(/\d+ ms/g, 'N ms')), [
      'debug yotta: listEndpoints started',
      'info yotta: GET /v2/serverless -> 200 (attempt 1, N ms)',
      'debug yotta: listEndpoints resolved in N ms',
    ]);
    lines.length = 0;
    await withFault('error,status=502,path=/v2/serverless', () => client({ logLevel: 'off', logger }).listEndpoints({ maxRetries: 0 }).catch(() => {}));
    assert.deepEqual(lines, []);
    process.env.YOTTA_LOG = 'info';
    try {
      await client({ logger }).listEndpoints();
    } finally {
      delete process.env.YOTTA_LOG;
    }
    assert.equal(lines.length, 1);
  });
});

describe('call options', () => {
  test('maxRetries replaces the client\'s for one call', async () => {
    const yotta = client({ logLevel: 'off' });
    await withFault('error,status=503,count=1,path=/v2/serverless', async () => {
      const error = await yotta.listEndpoints({ maxRetries: 0 }).catch((e) => e);
      assert.ok(error instanceof YottaApiError);
      assert.deepEqual([error.kind, error.httpStatus], ['http', 503]);
    });
    await withFault('error,status=503,count=1,path=/v2/serverless', async () => {
      assert.ok(Array.isArray(await yotta.listEndpoints()), 'the client\'s two retries get past one failure');
    });
    const bad = await yotta.listEndpoints({ maxRetries: -1 }).catch((e) => e);
    assert.deepEqual([bad.kind, bad.field], ['validation', 'maxRetries']);
  });

  test('timeoutMs limits the whole call', async () => {
    const yotta = client({ logLevel: 'off' });
    await withFault('latency,delay=3s,path=/v2/serverless', async () => {
      const started = Date.now();
      const error = await yotta.listEndpoints({ timeoutMs: 200 }).catch((e) => e);
      assert.ok(error instanceof YottaTimeoutError, String(error));
      assert.equal(error.kind, 'timeout');
      assert.ok(Date.now() - started < 2_000, 'retries stop at the call\'s limit');
    });
  });

  test('signal: the abort error is a YottaAbortError whose cause is the signal\'s reason', async () => {
    const yotta = client();
    const reason = new Error('user navigated away');
    const error = await yotta.listEndpoints({ signal: AbortSignal.abort(reason) }).catch((e) => e);
    assert.ok(error instanceof YottaAbortError);
    assert.equal(error.cause, reason);
    const timed = await withFault('latency,delay=3s,path=/v2/serverless',
      () => yotta.listEndpoints({ signal: AbortSignal.timeout(50) }).catch((e) => e));
    assert.equal(timed.kind, 'aborted');
    assert.equal(timed.cause.name, 'TimeoutError');
  });
});

describe('errors', () => {
  test('http errors carry the status and a bounded excerpt of the body', async () => {
    const error = await withFault('error,status=502,path=/v2/serverless',
      () => client({ maxRetries: 0, logLevel: 'off' }).listEndpoints().catch((e) => e));
    assert.ok(error instanceof YottaApiError);
    assert.deepEqual([error.kind, error.httpStatus, error.code], ['http', 502, null]);
    assert.match(error.bodyExcerpt, /^<!DOCTYPE html>|<html/i);
    assert.ok(error.bodyExcerpt.length <= 520);
  });

  test('decode errors carry the status and the start of the body that failed', async () => {
    const error = await withFault('malformed,path=/v2/serverless',
      () => client({ maxRetries: 0, logLevel: 'off' }).listEndpoints().catch((e) => e));
    assert.ok(error instanceof YottaApiError);
    assert.deepEqual([error.kind, error.httpStatus], ['decode', 200]);
    assert.match(error.bodyExcerpt, /^\{"code":10000/);
  });

  test('business, validation and other kinds have no excerpt', async () => {
    const missing = await client().getEndpoint('1').catch((e) => e);
    assert.ok(missing instanceof YottaApiError);
    assert.deepEqual([missing.kind, missing.bodyExcerpt, missing.cause], ['notFound', null, undefined]);
    const invalid = await client().scaleWorkers('1', -1).catch((e) => e);
    assert.ok(invalid instanceof YottaInputError && !(invalid instanceof YottaApiError));
  });
});
