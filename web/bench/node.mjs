// The bench page's measurements in Node: the same staged bundles and calls, without a browser
// (Node's clock is fine-grained and no browser shares the cores), against the simulator and
// then with a fetch that answers from memory. Prints one JSON line.
// Usage: node web/bench/node.mjs --site DIR --url http://127.0.0.1:PORT --endpoint ID
//        [--calls 1000] [--batch 20] [--warmup 50]
// The simulator must inject the key (`--inject-key`), as for the page.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    site: { type: 'string' },
    url: { type: 'string' },
    endpoint: { type: 'string' },
    calls: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '50' },
  },
});
if (!values.site || !values.url || !values.endpoint) throw new Error('--site, --url and --endpoint are required');

const load = (file) => import(pathToFileURL(resolve(values.site, file)).href);
const [{ runBench }, ours, peer] = await Promise.all([load('measure.js'), load('ours.js'), load('peer.js')]);
const result = await runBench(values.url, { ours: ours.connect, peer: peer.connect }, {
  endpoint: values.endpoint,
  calls: Number(values.calls),
  batch: Number(values.batch),
  warmup: Number(values.warmup),
});
result.runtime = `Node ${process.versions.node}`;
process.stdout.write(`${JSON.stringify(result)}\n`);
