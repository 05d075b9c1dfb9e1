// Browser end-to-end tests of the web console (web/console) against the simulator, driven in
// Debian's Chromium through playwright-core. Run: node --test web/tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  prepareSite, startSimulator, launchBrowser, watchPage, simState, acceptsKeylessCalls, SCREENSHOTS,
} from './harness.js';

const WAIT = 10_000; // every wait has a limit; the simulator runs in milliseconds
let sim;
let chromium;
let base;

before(async () => {
  const site = await prepareSite();
  sim = await startSimulator(site);
  // The page holds no API key: the simulator stands in for the same-origin proxy (--inject-key).
  assert.ok(await acceptsKeylessCalls(sim.url), 'the simulator serves keyless calls, as `cargo xtask console` runs it');
  base = sim.url;
  chromium = await launchBrowser();
}, { timeout: 300_000 });

after(async () => {
  await chromium?.close();
  await sim?.stop();
});

/** A fresh browser context at laptop width, with its console errors collected. */
async function openConsole(hash = '#/endpoints') {
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, problems, close: () => context.close() };
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
/** Saves a screenshot artefact (full page, from the top, so the sticky bar sits where it belongs). */
async function shot(page, name, { fullPage = true } = {}) {
  // Toasts are fixed to the viewport: in a full-page capture they would cover the content.
  if (fullPage) await page.evaluate(() => { window.scrollTo(0, 0); document.querySelectorAll('.toast').forEach((t) => t.remove()); });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}
const uniqueName = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/** The SDK in Node, talking to the simulator directly (to set up data the test does not click). */
async function nodeClient() {
  const { default: init, YottaClient } = await import('../../dist/index.js');
  await init();
  return new YottaClient({ baseUrl: sim.url, apiKey: 'browser-tests' });
}

/** Fills the create form with a valid QUEUE endpoint and submits it; returns the new id. */
async function createThroughForm(page, name, { gpuType = 'NVIDIA_H100_80G', env = [['MODEL', 'llama-3-8b']], image = 'vllm/vllm-openai:latest', credential } = {}) {
  await byTestId(page, 'new-endpoint').first().click();
  await byTestId(page, 'create-form').waitFor();
  await byTestId(page, 'input-name').fill(name);
  await byTestId(page, 'input-image').fill(image);
  if (credential) await byTestId(page, 'input-credentialId').selectOption({ label: credential });
  await byTestId(page, 'mode-QUEUE').check();
  await byTestId(page, 'resource-gpuType').first().selectOption(gpuType);
  await byTestId(page, 'resource-gpuCount').first().fill('1');
  await byTestId(page, 'input-workers').fill('1');
  await byTestId(page, 'input-expose.port').fill('8000');
  for (const [i, [key, value]] of env.entries()) {
    if (i > 0) await byTestId(page, 'add-env').click();
    await byTestId(page, 'env-key').nth(i).fill(key);
    await byTestId(page, 'env-value').nth(i).fill(value);
  }
  await byTestId(page, 'create-submit').click();
  await page.waitForURL(/#\/endpoints\?created=\d+$/);
  const id = decodeURIComponent(new URL(page.url()).hash.split('created=')[1]);
  return id;
}

function row(page, id) {
  return page.locator(`[data-testid="endpoint-row"][data-endpoint-id="${id}"]`);
}

async function waitForBadge(locator, status, timeout = WAIT) {
  await locator.locator(`[data-testid="status-badge"][data-status="${status}"]`).first().waitFor({ timeout });
}

/** Confirms the open dialog (optionally typing a value first) and waits for it to close. */
async function confirm(page, value) {
  const dialog = byTestId(page, 'confirm-dialog');
  await dialog.waitFor();
  if (value !== undefined) await byTestId(dialog, 'dialog-input').fill(String(value));
  await byTestId(dialog, 'dialog-confirm').click();
  await dialog.waitFor({ state: 'detached' });
}

test('v2: create through the form, RUNNING, tasks, logs, scale, refused delete, stop, delete', { timeout: 90_000 }, async () => {
  const { page, problems, close } = await openConsole();
  try {
    assert.equal(await byTestId(page, 'api-version-v2').getAttribute('aria-checked'), 'true', 'v2 is the default');
    const name = uniqueName('e2e-v2');
    const id = await createThroughForm(page, name);

    // The list shows it, and it turns RUNNING by itself (auto-refresh).
    const listed = row(page, id);
    await listed.waitFor();
    await waitForBadge(listed, 'RUNNING');
    await assert.doesNotReject(listed.locator('[data-testid="workers"]', { hasText: '1 / 1' }).waitFor());

    // The id on screen is the simulator's, digit for digit (it is above 2^53).
    const state = await simState(sim.url);
    const simEndpoint = state.endpoints.find((e) => e.spec.name === name);
    assert.ok(simEndpoint, 'the simulator has the endpoint');
    assert.equal(typeof simEndpoint.id, 'string');
    assert.ok(BigInt(simEndpoint.id) > 2n ** 53n, `id ${simEndpoint.id} is above 2^53`);
    assert.equal(id, simEndpoint.id);
    assert.equal(await listed.locator('[data-testid="endpoint-id"]').textContent(), simEndpoint.id);
    assert.deepEqual(simEndpoint.spec.environmentVars ?? simEndpoint.spec.envVars, [{ key: 'MODEL', value: 'llama-3-8b' }]);
    await shot(page, '01-endpoints-list');

    // The endpoint page.
    await listed.locator('[data-testid="endpoint-link"]').click();
    await page.waitForURL(new RegExp(`#/endpoints/${id}$`));
    await byTestId(page, 'endpoint-name').filter({ hasText: name }).waitFor();
    assert.equal(await byTestId(page, 'endpoint-id').first().textContent(), simEndpoint.id);
    await waitForBadge(byTestId(page, 'endpoint-status'), 'RUNNING');
    const workerRow = byTestId(page, 'worker-row');
    await waitForBadge(workerRow.first(), 'RUNNING');
    const workerId = await workerRow.first().getAttribute('data-worker-id');
    assert.equal(workerId, simEndpoint.workers[0].id);

    // Tasks: submit JSON (with an integer beyond 2^53), see it finish with its output.
    await byTestId(page, 'tab-tasks').click();
    await byTestId(page, 'task-form').waitFor();
    await byTestId(page, 'task-input').fill('{"prompt": "hello from e2e", "seed": 378888638324150969}');
    await byTestId(page, 'task-uri').fill('/v1/chat/completions');
    await byTestId(page, 'task-submit').click();
    const detail = byTestId(page, 'task-detail');
    await detail.locator('[data-testid="task-detail-status"][data-status="SUCCESS"]').waitFor();
    const output = await byTestId(detail, 'task-detail-output').textContent();
    assert.match(output, /"prompt": "hello from e2e"/);
    assert.match(output, /"seed": 378888638324150969\b/, 'the big integer survives exactly');
    assert.match(output, /"processUri": "\/v1\/chat\/completions"/);
    assert.match(await byTestId(detail, 'task-detail-input').textContent(), /378888638324150969/);
    const taskId = await byTestId(detail, 'task-detail-id').textContent();
    await page.locator(`[data-testid="task-row"][data-task-id="${taskId}"] [data-testid="task-status"][data-status="SUCCESS"]`).waitFor();
    await byTestId(page, 'task-processing').filter({ hasText: /^0$/ }).waitFor();
    // The status filter: no FAILED tasks, one SUCCESS.
    await byTestId(page, 'task-status-filter').selectOption('FAILED');
    await byTestId(page, 'tasks-empty').waitFor();
    await byTestId(page, 'task-status-filter').selectOption('SUCCESS');
    await page.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`).waitFor();
    await shot(page, '04-tasks-tab');

    // Pagination: 11 more tasks (queued through the API) make two pages of 10.
    await byTestId(page, 'task-status-filter').selectOption('');
    const sdk = await nodeClient();
    for (let i = 0; i < 11; i += 1) {
      await sdk.submitTask(id, { taskId: `bulk_${i}`, input: { n: i }, workerPort: 8000, processUri: '/run' });
    }
    await byTestId(page, 'task-page-info').filter({ hasText: 'Page 1 of 2 · 12 tasks' }).waitFor();
    assert.equal(await byTestId(page, 'task-row').count(), 10);
    await byTestId(page, 'task-next').click();
    await byTestId(page, 'task-page-info').filter({ hasText: 'Page 2 of 2' }).waitFor();
    assert.equal(await byTestId(page, 'task-row').count(), 2);
    assert.equal(await byTestId(page, 'task-next').isDisabled(), true);
    await byTestId(page, 'task-prev').click();
    await byTestId(page, 'task-page-info').filter({ hasText: 'Page 1 of 2' }).waitFor();

    // Logs: the worker's lines, the keyword filter, the live tail, and older pages.
    await byTestId(page, 'tab-logs').click();
    await page.waitForURL(new RegExp(`#/endpoints/${id}/logs/${workerId}$`));
    const lines = byTestId(page, 'log-line');
    await lines.first().waitFor();
    await page.locator('[data-testid="log-line"]', { hasText: `task ${taskId} received` }).waitFor();
    const unfiltered = await lines.count();
    assert.ok(unfiltered >= 50, `a page of lines is shown (${unfiltered})`);
    await byTestId(page, 'log-tailing').waitFor();

    await byTestId(page, 'log-keyword').fill('health');
    await byTestId(page, 'log-keyword').press('Enter');
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="log-text"]')].map((e) => e.textContent.toLowerCase());
      return shown.length > 0 && shown.every((t) => t.includes('health')) && document.querySelector('mark');
    }, null, { timeout: WAIT });
    // The live tail keeps adding matching lines (a health check every 700 ms).
    const before = await lines.count();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="log-line"]').length > n, before, { timeout: WAIT });
    // A keyword nothing matches yet: an empty view; a matching line written now appears live,
    // and only it (the tail starts at the log's end, not its beginning).
    await byTestId(page, 'log-keyword').fill('e2e-marker');
    await byTestId(page, 'log-keyword').press('Enter');
    await byTestId(page, 'log-empty').waitFor();
    assert.equal(await lines.count(), 0);
    await fetch(`${sim.url}/_sim/endpoints/${id}/workers/${workerId}/logs`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: ['WARN  health probe slow: e2e-marker line'] }),
    });
    await page.locator('[data-testid="log-line"]', { hasText: 'e2e-marker line' }).waitFor();
    await page.waitForTimeout(1200); // one more poll: still exactly one line
    assert.equal(await lines.count(), 1);
    assert.equal(await byTestId(page, 'log-empty').isVisible(), false);

    // Clearing the filter shows everything again; "load older" pages backwards.
    await byTestId(page, 'log-keyword').fill('');
    await byTestId(page, 'log-keyword').press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="log-text"]')].some((e) => !e.textContent.toLowerCase().includes('health')), null, { timeout: WAIT });
    const older = byTestId(page, 'log-load-older');
    await older.waitFor();
    const shown = await lines.count();
    const firstOffset = Number(await lines.first().getAttribute('data-offset'));
    await older.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="log-line"]').length > n, shown, { timeout: WAIT });
    const newFirst = Number(await lines.first().getAttribute('data-offset'));
    assert.ok(newFirst < firstOffset, `older lines come first (${newFirst} < ${firstOffset})`);
    await byTestId(page, 'log-pane').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await shot(page, '03-endpoint-logs');

    // Scale: a negative count is refused by the SDK under the input; then 2 workers.
    await byTestId(page, 'action-scale').click();
    await byTestId(page, 'dialog-input').fill('-1');
    await byTestId(page, 'dialog-confirm').click();
    const scaleError = page.locator('[data-testid="confirm-dialog"] [data-error-for="workers"]');
    await scaleError.waitFor();
    assert.match(await scaleError.textContent(), /at least 0/);
    await confirm(page, 2);
    await byTestId(page, 'stat-workers').filter({ hasText: '2 / 2' }).waitFor();
    assert.equal((await simState(sim.url)).endpoints.find((e) => e.id === id).workers.filter((w) => w.status !== 'TERMINATED').length, 2);

    // Deleting a running endpoint is refused, in words, in the dialog.
    await byTestId(page, 'action-delete').click();
    await byTestId(page, 'dialog-confirm').click();
    const refusal = byTestId(page, 'dialog-error-text');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), 'Cannot delete an endpoint that is not stopped: stop it first');
    await shot(page, '05-delete-refused', { fullPage: false });
    await byTestId(page, 'dialog-cancel').click();
    await byTestId(page, 'confirm-dialog').waitFor({ state: 'detached' });

    // Stop, then delete: back to the list, and the simulator forgets it.
    await byTestId(page, 'action-stop').click();
    await confirm(page);
    await waitForBadge(byTestId(page, 'endpoint-status'), 'STOPPED');
    await byTestId(page, 'action-delete').click();
    await confirm(page);
    await page.waitForURL(/#\/endpoints$/);
    await row(page, id).waitFor({ state: 'detached' });
    const after = await simState(sim.url);
    assert.ok(after.deletedEndpointIds.includes(id));
    assert.ok(!after.endpoints.some((e) => e.id === id));

    assert.deepEqual(problems, [], 'no console errors');
  } finally {
    await close();
  }
});

test('validation errors from the SDK appear next to the offending field', { timeout: 30_000 }, async () => {
  const { page, problems, close } = await openConsole('#/endpoints/new');
  try {
    const countBefore = (await simState(sim.url)).endpoints.length;
    const form = byTestId(page, 'create-form');
    await form.waitFor();
    await byTestId(page, 'input-name').fill('9-lives');
    await byTestId(page, 'input-image').fill('vllm/vllm-openai:latest');
    await byTestId(page, 'create-submit').click();
    const nameError = page.locator('[data-error-for="name"]');
    await nameError.waitFor();
    assert.match(await nameError.textContent(), /start with a letter/i);
    assert.equal(await byTestId(page, 'input-name').getAttribute('aria-invalid'), 'true');
    // The message sits in the name field's own block.
    assert.equal(await nameError.evaluate((el) => el.parentElement.contains(document.querySelector('[data-testid="input-name"]'))), true);

    // Fix the name; a second resource with another GPU count is blamed on that row's input.
    await byTestId(page, 'input-name').fill('valid-name');
    assert.equal(await nameError.isVisible(), false, 'editing clears the message');
    await byTestId(page, 'add-resource').click();
    await byTestId(page, 'resource-region').nth(1).fill('eu-central-1');
    await byTestId(page, 'resource-gpuType').nth(1).selectOption('NVIDIA_A100_80G');
    await byTestId(page, 'resource-gpuCount').nth(1).fill('2');
    await byTestId(page, 'create-submit').click();
    const countError = page.locator('[data-error-for="resources[1].gpuCount"]');
    await countError.waitFor();
    assert.match(await countError.textContent(), /resources\[0\]\.gpuCount/);
    const blamedRow = await countError.evaluate((el) => {
      const rows = [...document.querySelectorAll('[data-testid="resource-row"]')];
      return rows.findIndex((r) => r.contains(el));
    });
    assert.equal(blamedRow, 1, 'the error is in the second resource row');
    assert.equal(await byTestId(page, 'resource-gpuCount').nth(1).getAttribute('aria-invalid'), 'true');
    assert.match(await byTestId(page, 'form-error').textContent(), /highlighted field/);
    await shot(page, '02-create-validation-error');

    // An exposed port out of range.
    await byTestId(page, 'resource-gpuCount').nth(1).fill('1');
    await byTestId(page, 'input-expose.port').fill('70000');
    await byTestId(page, 'create-submit').click();
    const portError = page.locator('[data-error-for="expose.port"]');
    await portError.waitFor();
    assert.match(await portError.textContent(), /65535/);

    // An empty environment variable value (the row's index in the spec).
    await byTestId(page, 'input-expose.port').fill('');
    await byTestId(page, 'env-key').first().fill('TOKEN');
    await byTestId(page, 'create-submit').click();
    await page.locator('[data-error-for="environmentVars[0].value"]').waitFor();

    assert.equal((await simState(sim.url)).endpoints.length, countBefore, 'nothing was sent');
    assert.deepEqual(problems, [], 'no console errors');
  } finally {
    await close();
  }
});

test('v1 through the settings control: create, RUNNING, refused delete, stop, start, stop, delete from the list', { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openConsole();
  try {
    await byTestId(page, 'api-version-v1').click();
    await page.waitForFunction(() => localStorage.getItem('yotta.console.apiVersion') === 'v1');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await byTestId(page, 'api-version-v1').getAttribute('aria-checked'), 'true', 'the setting persists');

    await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
    const name = uniqueName('e2e-v1-console');
    const id = await createThroughForm(page, name, { gpuType: 'NVIDIA_RTX_4090_24G', env: [] });
    const listed = row(page, id);
    await waitForBadge(listed, 'RUNNING');
    const simEndpoint = (await simState(sim.url)).endpoints.find((e) => e.spec.name === name);
    assert.equal(await listed.locator('[data-testid="endpoint-id"]').textContent(), simEndpoint.id);
    assert.ok(BigInt(simEndpoint.id) > 2n ** 53n);

    // Refused delete in v1 words, then stop and delete from the row's buttons.
    await listed.locator('[data-testid="action-delete"]').click();
    await byTestId(page, 'dialog-confirm').click();
    assert.equal(await byTestId(page, 'dialog-error-text').textContent(), 'Cannot delete an endpoint that is not stopped: stop it first');
    await byTestId(page, 'dialog-cancel').click();
    await listed.locator('[data-testid="action-stop"]').click();
    await confirm(page);
    await waitForBadge(listed, 'STOPPED');
    // Start it again, and stop it again.
    assert.equal(await listed.locator('[data-testid="action-stop"]').isDisabled(), true);
    await listed.locator('[data-testid="action-start"]').click();
    await confirm(page);
    await waitForBadge(listed, 'RUNNING');
    await listed.locator('[data-testid="action-stop"]').click();
    await confirm(page);
    await waitForBadge(listed, 'STOPPED');
    await listed.locator('[data-testid="action-delete"]').click();
    await confirm(page);
    await listed.waitFor({ state: 'detached' });

    // Its page now says it is gone (a business error, not a console error).
    await page.goto(`${base}/#/endpoints/${id}`);
    await byTestId(page, 'endpoint-missing').waitFor();

    // Every call went to the v1 routes.
    const { requests } = await (await fetch(`${sim.url}/_sim/requests?limit=1000`)).json();
    assert.ok(requests.length > 0);
    const paths = new Set(requests.map((r) => r.path.replace(/\d{6,}/g, '{id}')));
    for (const p of paths) assert.match(p, /^\/openapi\/v1\/(elastic\/deploy|credentials)\//, `v1 route: ${p}`);
    assert.ok(paths.has('/openapi/v1/elastic/deploy/create'));
    assert.ok((await simState(sim.url)).deletedEndpointIds.includes(id));
    assert.deepEqual(problems, [], 'no console errors');
  } finally {
    await close();
  }
});


test('credentials page, then a private image choosing the credential by name and a documented GPU', { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openConsole('#/credentials');
  try {
    const { GPU_TYPES } = await import('../../dist/index.js');
    const credentialName = uniqueName('reg').replace('-', '');
    await byTestId(page, 'credential-form').waitFor();
    // A refused input is named (nothing is sent): the password is required.
    await byTestId(page, 'credential-name').fill(credentialName);
    await byTestId(page, 'credential-username').fill('robot');
    await byTestId(page, 'credential-submit').click();
    await byTestId(page, 'credential-form-error-text').filter({ hasText: /password/ }).waitFor();
    assert.ok(!(await simState(sim.url)).credentials.some((c) => c.name === credentialName), 'nothing was sent');

    await byTestId(page, 'credential-type').selectOption('GCR');
    await byTestId(page, 'credential-password').fill('s3cret-token');
    await byTestId(page, 'credential-submit').click();
    const listed = byTestId(page, 'credential-row').filter({ hasText: credentialName });
    await listed.waitFor();
    assert.equal(await byTestId(page, 'credential-password').inputValue(), '', 'the secret is cleared once sent');
    const stored = (await simState(sim.url)).credentials.find((c) => c.name === credentialName);
    assert.equal(stored.type, 'GCR');
    assert.equal(await listed.getAttribute('data-credential-id'), stored.id);
    assert.ok(!(await page.content()).includes('s3cret-token'), 'the page never shows the secret');
    await shot(page, '06-credentials');

    // The create form lists the credential by name and the GPU types of the docs.
    await page.goto(`${base}/#/endpoints`);
    const options = await byTestId(page, 'new-endpoint').first().click().then(async () => {
      await byTestId(page, 'create-form').waitFor();
      return byTestId(page, 'resource-gpuType').first().locator('option').evaluateAll((els) => els.map((o) => o.value));
    });
    assert.deepEqual(options, GPU_TYPES.map((gpu) => gpu.code), 'the GPU choices are the documented catalogue');
    await byTestId(page, 'input-credentialId').locator('option', { hasText: credentialName }).waitFor({ state: 'attached' });
    await byTestId(page, 'create-cancel').click();
    const gpu = GPU_TYPES.find((g) => g.code === 'NVIDIA_H200_141G') ?? GPU_TYPES.at(-1);
    const id = await createThroughForm(page, uniqueName('private'), {
      image: 'registry.example.com/team/model:1', credential: `${credentialName} (GCR)`, gpuType: gpu.code, env: [],
    });
    const after = await simState(sim.url);
    // (The state's spec holds credentialId as a JSON number: compare through the exact ids.)
    assert.deepEqual(after.credentials.find((c) => c.id === stored.id).usedBy, [id], 'the endpoint refers to the chosen credential');
    assert.equal(after.endpoints.find((e) => e.id === id).spec.resources[0].gpuType, gpu.code);

    // Deleting a credential in use is refused, in words, and nothing changes.
    await page.goto(`${base}/#/credentials`);
    await listed.locator('[data-testid="delete-credential"]').click();
    const dialog = byTestId(page, 'confirm-dialog');
    await byTestId(dialog, 'dialog-confirm').click();
    await byTestId(dialog, 'dialog-error-text').waitFor();
    assert.match(await byTestId(dialog, 'dialog-error-text').textContent(), /in use|not allowed/i);
    await byTestId(dialog, 'dialog-cancel').click();
    assert.ok((await simState(sim.url)).credentials.some((c) => c.id === stored.id));

    // Once the endpoint is gone, the credential can be deleted.
    const yotta = await nodeClient();
    await yotta.stopEndpoint(id);
    await yotta.waitForStatus(id, 'STOPPED', { timeoutMs: WAIT });
    await yotta.deleteEndpoint(id);
    await listed.locator('[data-testid="delete-credential"]').click();
    await confirm(page);
    await listed.waitFor({ state: 'detached' });
    assert.ok(!(await simState(sim.url)).credentials.some((c) => c.id === stored.id));
    assert.deepEqual(problems, [], 'no console errors');
  } finally {
    await close();
  }
});
