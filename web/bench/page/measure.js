// The call-overhead measurement both drivers run: the bench page in Chromium
// (`web/bench/page/bench.js`) and Node (`web/bench/node.mjs`). Three clients make the same
// sequential calls: (a) our package, (b) the openapi-fetch peer, (c) raw fetch + JSON.parse;
// then (a) and (c) again over a fetch that answers from memory.

const OPS = ['getEndpoint', 'listTasks'];

/** (c): `fetch` and `JSON.parse` against `base` ('' for the page's own origin). */
function rawClient(base, fetchWith = fetch) {
  return {
    async getEndpoint(id) {
      const response = await fetchWith(`${base}/v2/serverless/${id}`);
      return JSON.parse(await response.text());
    },
    async listTasks(id) {
      const response = await fetchWith(`${base}/v2/serverless/${id}/tasks?pageNumber=1&pageSize=10`);
      return JSON.parse(await response.text());
    },
  };
}

/**
 * A `fetch` that answers from memory with the server's answers to both operations, fetched
 * once: what is left of a call is the client's own work (and building a `Response`).
 */
async function fetchFromMemory(base, endpoint) {
  const text = async (url) => (await fetch(url)).text();
  const endpointBody = await text(`${base}/v2/serverless/${endpoint}`);
  const tasksBody = await text(`${base}/v2/serverless/${endpoint}/tasks?pageNumber=1&pageSize=10`);
  return async (url) => new Response(String(url).includes('/tasks') ? tasksBody : endpointBody, {
    headers: { 'content-type': 'application/json' },
  });
}

/** Fails unless `result` is a successful answer of `op` for endpoint `id`, in the client's shape. */
function check(name, op, result, id) {
  const ok = name === 'ours'
    ? (op === 'getEndpoint' ? result.id === id : Array.isArray(result.items) && result.items.length > 0)
    : result.code === 10000 && (op === 'getEndpoint' ? result.data?.name !== undefined : result.data?.items?.length > 0);
  if (!ok) throw new Error(`${name}.${op} returned an unexpected answer: ${JSON.stringify(result).slice(0, 300)}`);
}

/**
 * Both measurements against the server at `base`: the three clients as they are, then ours and
 * raw over `fetchFromMemory` (ten times the calls, in batches ten times as long: each call takes
 * about a tenth of the time, and a page's clock stays coarse). `apps` holds the bundles'
 * `connect` functions.
 */
export async function runBench(base, apps, options) {
  const clients = { ours: await apps.ours(base), peer: apps.peer(base), raw: rawClient(base) };
  const result = await measure(clients, options);
  const memory = await fetchFromMemory(base, options.endpoint);
  const offline = { ours: await apps.ours(base, { fetch: memory }), raw: rawClient(base, memory) };
  result.offline = await measure(offline, { ...options, calls: options.calls * 10, batch: options.batch * 10 });
  return result;
}

/**
 * `calls` sequential calls per client and operation, timed in batches of `batch` calls (a
 * browser's clock is coarse: ~0.1 ms without cross-origin isolation); each batch's per-call time
 * is a sample (yotta-bench takes their medians). Rounds rotate which client goes first, so drift
 * hits all alike. `clients` maps ours, peer and raw to objects with one method per operation.
 */
async function measure(clients, { endpoint, calls, batch, warmup }) {
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
