// How a client is configured: environment variables (Node reads them the way Bun and Deno do,
// see tests/runtimes/), the refusal without a key, option checks, and loading the WebAssembly
// module lazily or from a URL, bytes or a compiled module (each in a fresh Node process, since
// the module loads once per process).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, pkg, startSimulator } from '../harness.js';

ensureBuilt();
const { default: init, YottaClient, YottaError, YottaInputError } = await import('../../dist/index.js');

const KEY = 'config-test-key';
const VARIABLES = ['YOTTA_API_KEY', 'YOTTA_BASE_URL', 'YOTTA_API_VERSION', 'YOTTA_LOG'];
let sim;

before(async () => {
  await init();
  sim = await startSimulator(['--api-key', KEY]);
});
after(() => sim?.stop());

/** Runs `body` with exactly `variables` of the YOTTA_* environment set. */
async function withEnv(variables, body) {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return await body();
  } finally {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

const thrown = (make) => {
  try {
    make();
  } catch (error) {
    return error;
  }
  return assert.fail('expected the constructor to throw');
};

describe('environment', () => {
  test('apiKey, baseUrl and apiVersion default to YOTTA_API_KEY, YOTTA_BASE_URL and YOTTA_API_VERSION', async () => {
    await withEnv({ YOTTA_API_KEY: KEY, YOTTA_BASE_URL: `${sim.url}/`, YOTTA_API_VERSION: ' V1 ' }, async () => {
      const client = new YottaClient();
      assert.deepEqual([client.baseUrl, client.apiVersion], [sim.url, 'v1']);
      await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
      assert.ok(Array.isArray(await client.listEndpoints()), 'the key from the environment is accepted');
      const { requests } = await sim.admin('requests');
      assert.equal(requests[0].path, '/openapi/v1/elastic/deploy/list', 'v1 from the environment');
      const explicit = new YottaClient({ apiVersion: 'v2', apiKey: 'wrong-key' });
      assert.equal(explicit.apiVersion, 'v2', 'options win over the environment');
      const refused = await explicit.listEndpoints().catch((e) => e);
      assert.equal(refused.kind, 'unauthorized', 'the explicit key was sent');
    });
  });

  test('no key anywhere and no baseUrl: a configuration error naming YOTTA_API_KEY', async () => {
    await withEnv({}, () => {
      const error = thrown(() => new YottaClient());
      assert.ok(error instanceof YottaInputError && error instanceof YottaError);
      assert.deepEqual([error.kind, error.field, error.operation], ['configuration', 'YOTTA_API_KEY', 'YottaClient']);
      assert.match(error.message, /YOTTA_API_KEY/);
    });
    await withEnv({ YOTTA_BASE_URL: 'https://api.yottalabs.ai' }, () => {
      const error = thrown(() => new YottaClient());
      assert.equal(error.field, 'YOTTA_API_KEY', 'YOTTA_BASE_URL alone may be production: still refused');
    });
    await withEnv({ YOTTA_API_KEY: '' }, () => {
      assert.equal(thrown(() => new YottaClient()).field, 'YOTTA_API_KEY', 'an empty variable is no key');
    });
  });

  test('an explicit baseUrl without a key is a client of a proxy that adds it', async () => {
    await withEnv({}, async () => {
      const keyless = new YottaClient({ baseUrl: sim.url });
      const error = await keyless.listEndpoints().catch((e) => e);
      assert.deepEqual([error.kind, error.httpStatus], ['unauthorized', 401], 'sent without a key');
    });
  });

  test('a bad variable is a configuration error naming it', async () => {
    await withEnv({ YOTTA_API_KEY: KEY, YOTTA_API_VERSION: 'v3' }, () => {
      const error = thrown(() => new YottaClient());
      assert.deepEqual([error.kind, error.field], ['configuration', 'YOTTA_API_VERSION']);
      assert.match(error.message, /^invalid YOTTA_API_VERSION: /);
    });
    await withEnv({ YOTTA_API_KEY: KEY, YOTTA_BASE_URL: 'ftp://files.example' }, () => {
      assert.equal(thrown(() => new YottaClient()).field, 'YOTTA_BASE_URL');
    });
    await withEnv({ YOTTA_API_KEY: KEY, YOTTA_LOG: 'loud' }, () => {
      const error = thrown(() => new YottaClient());
      assert.deepEqual([error.kind, error.field], ['configuration', 'YOTTA_LOG']);
      assert.match(error.message, /off, error, warn, info, debug/);
    });
  });
});

describe('options', () => {
  const options = { apiKey: KEY, baseUrl: 'http://127.0.0.1:1' };
  for (const [name, bad, field, rule] of [
    ['an unknown option', { retries: 3 }, 'retries', /is not a known option/],
    ['a log level', { logLevel: 'loud' }, 'logLevel', /off, error, warn, info, debug/],
    ['a logger without debug', { logger: { error() {}, warn() {}, info() {} } }, 'logger.debug', /console-like/],
    ['a fetch that is no function', { fetch: 'fetch' }, 'fetch', /function/],
    ['dangerouslyAllowBrowser', { dangerouslyAllowBrowser: 'yes' }, 'dangerouslyAllowBrowser', /true or false/],
    ['bigint', { bigint: 1 }, 'bigint', /true or false/],
    ['a default header the SDK owns', { defaultHeaders: { 'X-API-Key': 'k' } }, 'headers.X-API-Key', /set by the SDK/],
    ['a default header with a line break', { defaultHeaders: { 'x-a': 'a\nb' } }, 'headers.x-a', /visible ASCII/],
  ]) {
    test(`${name} is refused, naming it`, () => {
      const error = thrown(() => new YottaClient({ ...options, ...bad }));
      assert.deepEqual([error.kind, error.field], ['validation', field]);
      assert.match(error.message, rule);
    });
  }
});

/** Runs an ES module in a fresh Node process; resolves with its output. */
function fresh(code) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8', timeout: 30_000, env: { ...process.env, YOTTA_API_KEY: '', YOTTA_BASE_URL: '' },
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

describe('loading the WebAssembly module', () => {
  const index = pathToFileURL(path.join(pkg, 'index.js')).href;
  const wasm = pathToFileURL(path.join(pkg, 'yotta_wasm_bg.wasm')).href;

  test('methods load it themselves: no init() needed', () => {
    const out = fresh(`
      import { YottaClient, parseTaskNotification } from '${index}';
      const early = (() => { try { parseTaskNotification('{}'); } catch (e) { return e; } })();
      console.log(early.kind, early.field);
      const client = new YottaClient({ apiKey: '${KEY}', baseUrl: '${sim.url}' });
      const late = new YottaClient({ apiKey: '${KEY}', baseUrl: 'not a url' });
      console.log(Array.isArray(await client.listEndpoints()));
      console.log((await late.listEndpoints().catch((e) => e)).field);
      try { new YottaClient({ apiKey: '${KEY}', baseUrl: 'not a url' }); } catch (e) { console.log('now', e.field); }
    `);
    assert.equal(out, 'configuration init\ntrue\nbaseUrl\nnow baseUrl\n',
      'before loading: the sync helpers explain init(), bad options surface at the first call; after: at once');
  });

  for (const [what, input] of [
    ['a file URL', `new URL('${wasm}')`],
    ['bytes', `await readFile(new URL('${wasm}'))`],
    ['a compiled WebAssembly.Module (as Workers hand it over)', `await WebAssembly.compile(await readFile(new URL('${wasm}')))`],
    ['a promise of bytes', `readFile(new URL('${wasm}'))`],
  ]) {
    test(`init() takes ${what}`, () => {
      const out = fresh(`
        import { readFile } from 'node:fs/promises';
        import init, { YottaClient } from '${index}';
        await init(${input});
        const client = new YottaClient({ apiKey: '${KEY}', baseUrl: '${sim.url}' });
        console.log(Array.isArray(await client.listEndpoints()));
      `);
      assert.equal(out, 'true\n');
    });
  }

  test('a module that cannot load rejects with kind configuration and the cause, and can be retried', () => {
    const out = fresh(`
      import init from '${index}';
      const error = await init(new Uint8Array([0, 1, 2, 3])).catch((e) => e);
      console.log(error.name, error.kind, error.field, error.cause instanceof Error);
      await init();
      console.log('loaded');
    `);
    assert.equal(out, 'YottaError configuration init true\nloaded\n');
  });

  test('the package ships no declarations of the wasm plumbing', async () => {
    const manifest = JSON.parse(await readFile(path.join(pkg, 'package.json'), 'utf8'));
    assert.ok(!manifest.files.some((file) => file.startsWith('yotta_wasm') && file.endsWith('.d.ts')), manifest.files.join());
    assert.doesNotMatch(await readFile(path.join(pkg, 'index.d.ts'), 'utf8'), /free\(\)|yotta_wasm\.js/);
  });
});
