// One smoke suite (smoke.js: create, wait, run, logs, a typed business error, abort, an id above
// 2^53 exact) in every runtime the package is tested in: Node 20 and 22, Bun, Deno and workerd
// (their binaries come from the npm packages pinned in web/package.json), Chromium and Firefox
// (Debian's chromium and firefox-esr, driven by puppeteer-core: CDP and WebDriver BiDi). One
// simulator serves them all; each runtime's endpoint is compared with its state digit for digit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, pkg, root, startSimulator } from '../harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(root, 'web/node_modules');
const KEY = 'smoke-key';
let sim;
let work;

before(async () => {
  ensureBuilt();
  // --inject-key: keyless calls from the browser pages count as authenticated, as behind the
  // dashboard's key proxy; every other runtime sends KEY itself.
  sim = await startSimulator(['--api-key', KEY, '--inject-key', KEY]);
  work = await mkdtemp(path.join(os.tmpdir(), 'yotta-runtimes-'));
});

after(async () => {
  await sim?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The first of `candidates` (paths under web/node_modules) that exists; the npm packages' install scripts move some binaries. */
function binary(what, ...candidates) {
  const found = candidates.map((c) => path.join(modules, c)).find((p) => existsSync(p));
  if (!found) throw new Error(`${what} is not installed: run \`npm ci\` in web/ (looked for ${candidates.join(', ')})`);
  return found;
}

/** Runs `command`, killing it after `ms`; resolves with its exit code and output. */
function run(command, args, { env = {}, ms = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
  });
}

/** Checks a runtime's smoke result against the simulator: every step, and the exact id. */
async function verify(result, expectedSteps) {
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(result.steps, expectedSteps);
  const state = await sim.admin('state');
  const endpoint = state.endpoints.find((e) => e.id === result.id);
  assert.ok(endpoint, `the endpoint ${result.id} exists in the simulator with exactly that id`);
  assert.equal(endpoint.status, 'STOPPED');
  return result.runtime;
}

const STEPS = ['create', 'wait', 'run', 'logs', 'typed error', 'abort', 'stop'];
const tested = [];

/** The smoke suite in a server runtime: server.js with the key and base URL in the environment. */
async function serverRuntime(command, args) {
  const outcome = await run(command, [...args, path.join(here, 'server.js')], {
    env: { YOTTA_API_KEY: KEY, YOTTA_BASE_URL: sim.url, YOTTA_API_VERSION: '', YOTTA_LOG: 'warn' },
  });
  const line = outcome.stdout.split('\n').find((l) => l.startsWith('SMOKE '));
  assert.ok(line && outcome.code === 0, `exit ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
  return JSON.parse(line.slice('SMOKE '.length));
}

test('Node 20', { timeout: 90_000 }, async () => {
  const result = await serverRuntime(binary('Node 20 (npm node20)', 'node20/bin/node'), []);
  assert.match(result.runtime, /^Node 20\./);
  tested.push(await verify(result, STEPS));
});

test('Node 22', { timeout: 90_000 }, async () => {
  const result = await serverRuntime(binary('Node 22 (npm node22)', 'node22/bin/node'), []);
  assert.match(result.runtime, /^Node 22\./);
  tested.push(await verify(result, STEPS));
});

test('Bun (and the key proxy under Bun.serve)', { timeout: 90_000 }, async () => {
  const bun = binary('Bun (npm bun)', 'bun/bin/bun.exe', '@oven/bun-linux-x64/bin/bun');
  const result = await serverRuntime(bun, []);
  assert.match(result.runtime, /^Bun /);
  tested.push(await verify(result, [...STEPS, 'proxy']));
});

test('Deno (and the key proxy under Deno.serve)', { timeout: 90_000 }, async () => {
  const deno = binary('Deno (npm deno)', 'deno/deno', '@deno/linux-x64-glibc/deno');
  const result = await serverRuntime(deno, [
    'run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${root}`, '--allow-env',
  ]);
  assert.match(result.runtime, /^Deno /);
  tested.push(await verify(result, [...STEPS, 'proxy']));
});

/** A free loopback port (workerd takes its listening address from its configuration). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

test('workerd (and the key proxy as a Worker)', { timeout: 90_000 }, async () => {
  const workerd = binary('workerd (npm workerd)', 'workerd/bin/workerd', '@cloudflare/workerd-linux-64/bin/workerd');
  const version = (await run(workerd, ['--version'])).stdout.trim();
  const dir = path.join(work, 'workerd');
  await mkdir(dir);
  const files = ['index.js', 'yotta_wasm.js', 'config.js', 'error.js', 'json.js', 'tables.js', 'routes.js', 'proxy.js'];
  for (const file of files) await cp(path.join(pkg, file), path.join(dir, file));
  for (const file of ['worker.js', 'smoke.js']) await cp(path.join(here, file), path.join(dir, file));
  await cp(path.join(pkg, 'yotta_wasm_bg.wasm'), path.join(dir, 'yotta_wasm_bg.wasm'));
  const port = await freePort();
  const modulesList = ['worker.js', 'smoke.js', ...files]
    .map((file) => `    (name = "${file}", esModule = embed "${file}"),`).join('\n');
  await writeFile(path.join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The simulator is on loopback, which a Worker's fetch may not reach by default.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
${modulesList}
    (name = "yotta_wasm_bg.wasm", wasm = embed "yotta_wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "YOTTA_API_KEY", text = "${KEY}"),
    (name = "YOTTA_BASE_URL", text = "${sim.url}"),
    (name = "WORKERD_VERSION", text = "${version.replace(/^workerd /, '')}"),
  ],
);
`);
  const server = spawn(workerd, ['serve', path.join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (chunk) => { log += chunk; });
  server.stderr.on('data', (chunk) => { log += chunk; });
  const killOnExit = () => server.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    const base = `http://127.0.0.1:${port}`;
    let response;
    for (let tries = 0; !response; tries++) {
      response = await fetch(`${base}/smoke`).catch(async (error) => {
        if (tries > 100 || server.exitCode !== null) throw new Error(`workerd did not start: ${error}\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      });
    }
    const result = await response.json();
    tested.push(await verify(result, STEPS));
    // The Worker as a key proxy: a keyless request reaches the API; another site's is refused.
    const listed = await fetch(`${base}/api/v2/serverless`);
    assert.equal(listed.status, 200);
    assert.match(await listed.text(), new RegExp(`"id":${result.id}\\b`));
    const foreign = await fetch(`${base}/api/v2/serverless`, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(foreign.status, 403);
    await foreign.arrayBuffer();
  } finally {
    process.off('exit', killOnExit);
    server.kill('SIGKILL');
  }
});

/** The page (page/, smoke.js and the package under dist/) staged for the simulator to serve. */
async function stagePage() {
  const site = path.join(work, 'site');
  if (!existsSync(site)) {
    await cp(path.join(here, 'page'), site, { recursive: true });
    await cp(path.join(here, 'smoke.js'), path.join(site, 'smoke.js'));
    await cp(pkg, path.join(site, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.tgz') });
  }
  return site;
}

/** The smoke page in a browser launched by puppeteer-core; resolves with its result. */
async function browserRuntime(options) {
  const site = await stagePage();
  const pageSim = await startSimulator(['--api-key', KEY, '--inject-key', KEY, '--static-dir', site]);
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ headless: true, timeout: 60_000, ...options });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(`${pageSim.url}/index.html`);
    await page.waitForFunction(() => window.smokeResult !== undefined, { timeout: 60_000, polling: 100 });
    const result = await page.evaluate(() => window.smokeResult);
    result.runtime = await browser.version();
    assert.deepEqual(problems, []);
    const saved = sim;
    sim = pageSim;
    try {
      return await verify(result, STEPS);
    } finally {
      sim = saved;
    }
  } finally {
    await browser.close().catch(() => {});
    await pageSim.stop();
  }
}

test('Chromium', { timeout: 120_000 }, async () => {
  tested.push(await browserRuntime({
    browser: 'chrome',
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  }));
});

test('Firefox (WebDriver BiDi)', { timeout: 120_000 }, async () => {
  tested.push(await browserRuntime({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    extraPrefsFirefox: { 'network.proxy.type': 0 },
  }));
});

test('the package README lists the runtimes tested', async (t) => {
  const readme = await readFile(path.join(root, 'web/package/README.md'), 'utf8');
  t.diagnostic(`tested: ${tested.join(', ')}`);
  for (const runtime of tested) {
    // The npm-pinned runtimes by exact version; the browsers (Debian's, updated by apt) by name.
    const [, browser] = /^(chrome|firefox)\//i.exec(runtime) ?? [];
    const expected = browser ? { chrome: 'Chromium', firefox: 'Firefox ESR' }[browser.toLowerCase()] : runtime;
    assert.ok(readme.includes(expected), `the README lists ${expected} (tested: ${runtime})`);
  }
});
