// Test harness for the console's browser tests: stages the site, runs the simulator binary on a
// free port, and launches Debian's Chromium through playwright-core. Not a test file itself.
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
export const SCREENSHOTS = path.join(TARGET, 'screenshots');
const SIM_BIN = process.env.YOTTA_SIM_BIN ?? path.join(TARGET, 'debug', 'yotta-sim');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fast lifecycle timing for tests (the simulator's defaults are seconds). */
export const SIM_FLAGS = {
  // As `cargo xtask console` runs it: keyless calls from the page are served as if the same-origin
  // proxy had added a key (the console holds none).
  '--inject-key': 'console',
  '--init-delay': '300ms', '--stop-delay': '200ms', '--task-duration': '200ms',
  '--log-backlog': '200', '--health-interval': '700ms',
};

function run(command, args, what) {
  process.stderr.write(`[browser tests] ${what}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${what} failed (${command} ${args.join(' ')}: exit ${result.status ?? result.signal})`);
}

/**
 * Builds what is missing or stale (the npm package if absent, the simulator binary) and stages the site exactly as
 * `cargo xtask console` does (web/console at /, web/dist at /dist/), from the current sources, so a
 * stale target/console-site can never be what is tested. Returns the site directory.
 */
export async function prepareSite() {
  if (!existsSync(path.join(ROOT, 'web/dist/index.js'))) run('cargo', ['xtask', 'wasm'], 'building the npm package');
  // Always brought up to date (a no-op when it is): a stale binary may lack flags used here.
  if (!process.env.YOTTA_SIM_BIN) run('cargo', ['build', '--quiet', '-p', 'yotta-sim'], 'building the simulator');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const site = path.join(TARGET, 'browser-tests', 'site');
  await rm(site, { recursive: true, force: true });
  await mkdir(site, { recursive: true });
  await cp(path.join(ROOT, 'web/console'), site, { recursive: true });
  await cp(path.join(ROOT, 'web/dist'), path.join(site, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.tgz') });
  await mkdir(SCREENSHOTS, { recursive: true });
  return site;
}

/**
 * Starts `yotta-sim` on 127.0.0.1:0 serving `site`; resolves with { url, stop() }. `flags`
 * override or extend SIM_FLAGS (e.g. `{ '--init-delay': '3s' }`).
 */
export async function startSimulator(site, flags = {}) {
  const args = Object.entries({ ...SIM_FLAGS, ...flags }).flat();
  const child = spawn(SIM_BIN, ['--addr', '127.0.0.1:0', '--static-dir', site, ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  // Never leave the simulator behind, even when the test process dies on an error.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start within 15 s\n${stderr}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`simulator exited (${code ?? signal})\n${stderr}`)); });
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, stop, stderr: () => stderr };
}

/**
 * Launches Chromium headless with no background networking. Playwright gives every launch a
 * fresh temporary profile (its own --user-data-dir) and removes it on close.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** Collects console errors, uncaught exceptions and failed requests of a page. */
export function watchPage(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // Aborted requests are deliberate (AbortController on navigation / stopping a tail).
    if (!/ERR_ABORTED|NS_BINDING_ABORTED/.test(reason)) problems.push(`request failed: ${request.url()} ${reason}`);
  });
  return problems;
}

/** The simulator's admin view of its state (ids as exact strings). */
export async function simState(url) {
  const response = await fetch(`${url}/_sim/state`);
  if (!response.ok) throw new Error(`/_sim/state: HTTP ${response.status}`);
  return response.json();
}

export async function simReset(url) {
  await fetch(`${url}/_sim/reset`, { method: 'POST' });
}

/** Whether the simulator answers API calls that carry no X-API-Key, as the console makes them. */
export async function acceptsKeylessCalls(url) {
  const response = await fetch(`${url}/v2/serverless`);
  await response.arrayBuffer();
  return response.status !== 401;
}
