// Browser call overhead, on one page served by the simulator (same origin, no key: the
// simulator's --inject-key stands in for the proxy). Three clients make the same sequential
// calls: (a) our package, (b) the openapi-fetch peer, (c) raw fetch + JSON.parse.
// `web/bench/browser.mjs` drives it through Chromium; `cargo xtask bench` stages it.
import { connect as connectOurs } from './ours.js';
import { connect as connectPeer } from './peer.js';

const raw = {
  async getEndpoint(id) {
    const response = await fetch(`/v2/serverless/${id}`);
    return JSON.parse(await response.text());
  },
  async listTasks(id) {
    const response = await fetch(`/v2/serverless/${id}/tasks?pageNumber=1&pageSize=10`);
    return JSON.parse(await response.text());
  },
};

const OPS = ['getEndpoint', 'listTasks'];

/** Fails unless `result` is a successful answer of `op` for endpoint `id`, in the client's shape. */
function check(name, op, result, id) {
  const ok = name === 'ours'
    ? (op === 'getEndpoint' ? result.id === id : Array.isArray(result.items) && result.items.length > 0)
    : result.code === 10000 && (op === 'getEndpoint' ? result.data?.name !== undefined : result.data?.items?.length > 0);
  if (!ok) throw new Error(`${name}.${op} returned an unexpected answer: ${JSON.stringify(result).slice(0, 300)}`);
}

/**
 * `calls` sequential calls per client and operation, timed in batches of `batch` calls (the
 * browser's clock is coarse: ~0.1 ms without cross-origin isolation); each batch's per-call time
 * is a sample (yotta-bench takes their medians). Rounds rotate which client goes first, so drift
 * hits all alike.
 */
window.runBench = async ({ endpoint, calls, batch, warmup }) => {
  const clients = { ours: await connectOurs(location.origin), peer: connectPeer(location.origin), raw };
  const names = Object.keys(clients);
  for (const name of names) {
    for (const op of OPS) {
      for (let i = 0; i < warmup; i += 1) check(name, op, await clients[name][op](endpoint), endpoint);
    }
  }
  const samples = Object.fromEntries(names.map((name) => [name, Object.fromEntries(OPS.map((op) => [op, []]))]));
  const rounds = Math.ceil(calls / batch);
  for (let round = 0; round < rounds; round += 1) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      for (const op of OPS) {
        const call = clients[name][op];
        const started = performance.now();
        for (let i = 0; i < batch; i += 1) await call(endpoint);
        samples[name][op].push((performance.now() - started) / batch);
      }
    }
  }
  return { calls: rounds * batch, batch, samples };
};

document.getElementById('status').textContent = 'ready';
