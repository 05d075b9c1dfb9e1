// Shared by the Node and browser test suites: locate the workspace, build what is missing, and
// run a simulator on a free loopback port for the duration of a test file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const pkg = path.join(root, 'web/dist');
const simulatorBinary = path.join(root, 'target/debug/yotta-sim');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** A valid QUEUE endpoint spec named `name`, with `overrides` applied. */
export const queueSpec = (name, overrides = {}) => ({
  name,
  image: 'vllm/vllm-openai:latest',
  resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],
  workers: 1,
  containerVolumeInGb: 40,
  serviceMode: 'QUEUE',
  environmentVars: [{ key: 'MODEL', value: 'llama' }],
  ...overrides,
});

/** Wait options for the simulator's fast timing. */
export const FAST_WAIT = { timeoutMs: 10_000, intervalMs: 10 };

/** Builds the npm package and the simulator binary if a previous step has not. */
export function ensureBuilt() {
  if (!existsSync(path.join(pkg, 'index.js'))) run('cargo', ['xtask', 'wasm']);
  if (!existsSync(simulatorBinary)) run('cargo', ['build', '-p', 'yotta-sim']);
}

/**
 * Starts `yotta-sim` on 127.0.0.1 with fast timing. Resolves with `{ url, admin, stop }`;
 * `stop()` kills it. Extra flags are appended; `env` adds environment variables (proxy mode
 * reads its key from YOTTA_API_KEY).
 */
export async function startSimulator(extra = [], env = {}) {
  const args = [
    '--addr', '127.0.0.1:0', '--init-delay', '50ms', '--stop-delay', '50ms', '--task-duration', '20ms',
    '--log-backlog', '250', '--webhook-backoff', '20ms', ...extra,
  ];
  const child = spawn(simulatorBinary, args, {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'error', ...env },
  });
  // Never left behind, even when the test process dies on an error.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 10 s')), 10_000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const found = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}) before listening`)));
  });
  const admin = async (route, init) => {
    const response = await fetch(`${url}/_sim/${route}`, init);
    return response.json();
  };
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
  return { url, admin, stop };
}

/** Headless Debian Chromium through playwright-core, with the flags this offline machine needs. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
