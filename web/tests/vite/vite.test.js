// The package bundled by Vite (the way most dashboards consume it), then run in Chromium
// against the simulator serving the built app on the same origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ensureBuilt, launchBrowser, pkg, root, startSimulator } from '../harness.js';

const outDir = path.join(root, 'target/vite-app');
let sim;
let browser;

before(async () => {
  ensureBuilt();
  const { build } = await import('vite');
  await build({
    root: path.join(root, 'web/tests/vite/app'),
    base: './',
    logLevel: 'warn',
    resolve: { alias: { 'yotta-serverless': path.join(pkg, 'index.js') } },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  sim = await startSimulator(['--static-dir', outDir, '--inject-key', 'vite-test']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await sim?.stop();
});

test('a Vite-built app loads the wasm and calls the API with exact ids', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.goto(`${sim.url}/index.html`);
  await page.waitForSelector('#result[data-done="true"]', { timeout: 30_000 });
  const text = await page.textContent('#result');
  assert.ok(!text.startsWith('failed'), text);
  const result = JSON.parse(text);
  const state = await sim.admin('state');
  assert.equal(state.endpoints.length, 1);
  assert.equal(result.id, state.endpoints[0].id, 'the id survived bundling, fetch and JSON exactly');
  assert.deepEqual(result.listed, [result.id]);
  assert.deepEqual([result.errorIsYottaError, result.errorKind], [true, 'notFound']);
  // Not even the deliberate not-found logs an error: business errors arrive with HTTP 200.
  assert.deepEqual(problems, []);
});
