// The call-overhead measurement both drivers run: the bench page in Chromium
// (`web/bench/page/bench.js`) and Node (`web/bench/node.mjs`). Three clients make the same
// sequential calls: (a) our package, (b) the openapi-fetch peer, (c) raw fetch + JSON.parse.

export const OPS = ['getEndpoint', 'listTasks'];

/** (c): `fetch` and `JSON.parse` against `base` ('' for the page's own origin). */
export function rawClient(base) {
  return {
    async getEndpoint(id) {
      const response = await fetch(`${base}/v2/serverless/${id}`);
      return JSON.parse(await response.text());
    },
    async listTasks(id) {
      const response = await fetch(`${base}/v2/serverless/${id}/tasks?pageNumber=1&pageSize=10`);
      return JSON.parse(await response.text());
    },
  };
}

/** Fails unless `result` is a successful answer of `op` for endpoint `id`, in the client's shape. */
function check(name, op, result, id) {
  const ok = name === 'ours'
    ? (op === 'getEndpoint' ? result.id === id : Array.isArray(result.items) && result.items.length > 0)
    : result.code === 10000 && (op === 'getEndpoint' ? result.data?.name !== undefined : result.data?.items?.length > 0);
  if (!ok) throw new Error(`${name}.${op} returned an unexpected answer: ${JSON.stringify(result).slice(0, 300)}`);
}

/**
 * `calls` sequential calls per client and operation, timed in batches of `batch` calls (a
 * browser's clock is coarse: ~0.1 ms without cross-origin isolation); each batch's per-call time
 * is a sample (yotta-bench takes their medians). Rounds rotate which client goes first, so drift
 * hits all alike. `clients` maps ours, peer and raw to objects with one method per operation.
 */
export async function measure(clients, { endpoint, calls, batch, warmup }) {
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
}
