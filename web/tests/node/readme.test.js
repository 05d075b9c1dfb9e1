// The package README's example, run as written against the simulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, symlink, writeFile, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, pkg, root, startSimulator } from '../harness.js';

let sim;
let dir;

before(async () => {
  ensureBuilt();
  sim = await startSimulator(['--api-key', 'readme-key']);
  dir = await mkdtemp(path.join(os.tmpdir(), 'yotta-readme-'));
  // Resolve `yotta-serverless` the way an installed package would.
  await mkdir(path.join(dir, 'node_modules'));
  await symlink(pkg, path.join(dir, 'node_modules', 'yotta-serverless'), 'dir');
});

after(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the README example runs', { timeout: 60_000 }, async () => {
  const readme = await readFile(path.join(root, 'web/package/README.md'), 'utf8');
  const example = readme.match(/```js\n([\s\S]*?)```/)[1];
  assert.match(example, /new YottaClient\(\);/, 'the example is configured from the environment');
  assert.match(example, /await client\.run\(/, 'the example runs a task with run()');
  assert.doesNotMatch(example, /init\(/, 'the example needs no init()');
  const script = path.join(dir, 'example.mjs');
  await writeFile(script, example);
  const run = spawnSync(process.execPath, [script], {
    env: { ...process.env, YOTTA_API_KEY: 'readme-key', YOTTA_BASE_URL: sim.url },
    encoding: 'utf8',
    timeout: 50_000,
  });
  assert.equal(run.status, 0, `the example failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /^RUNNING$/m, 'progress was reported');
  assert.match(run.stdout, /^output: \{.*"echo":\{"prompt":"Hello"\}/m, 'run() resolved with the output');
  assert.match(run.stdout, /ready/i, 'log lines were read');
  assert.match(run.stdout, /stop it first/, 'the delete of a running endpoint was explained');
});
