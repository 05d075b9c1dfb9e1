// Drives web/bench/page in headless Chromium and prints its result as one JSON line.
// Usage: node web/bench/browser.mjs --url http://127.0.0.1:PORT --endpoint ID [--calls 1000]
//        [--batch 20] [--warmup 50]
// The page must be served by the simulator (`cargo xtask bench --only browser` does all of it).
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/harness.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    endpoint: { type: 'string' },
    calls: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '50' },
  },
});
if (!values.url || !values.endpoint) throw new Error('--url and --endpoint are required');

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  await page.goto(`${values.url}/index.html`);
  await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 30_000 });
  const result = await page.evaluate((options) => window.runBench(options), {
    endpoint: values.endpoint,
    calls: Number(values.calls),
    batch: Number(values.batch),
    warmup: Number(values.warmup),
  });
  if (problems.length > 0) throw new Error(`the bench page reported problems:\n${problems.join('\n')}`);
  result.browser = `Chromium ${browser.version()}`;
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
}
