// The smoke suite in a server runtime (Node, Bun, Deno), started by runtimes.test.js with
// YOTTA_API_KEY and YOTTA_BASE_URL set. No init(): the first call loads the WebAssembly module.
// Bun and Deno also serve the key proxy (createProxyHandler) and call the API through it. Prints
// one line `SMOKE <json>`.
import * as yotta from '../../dist/index.js';
import { createProxyHandler } from '../../dist/proxy.js';
import { smoke } from './smoke.js';

const { YottaClient, YottaError } = yotta;
const deno = globalThis.Deno;
const bun = globalThis.Bun;
const runtime = deno ? `Deno ${deno.version.deno}` : bun ? `Bun ${bun.version}` : `Node ${process.versions.node}`;
const env = {
  get: (name) => (deno ? deno.env.get(name) : process.env[name]),
  set: (name, value) => (deno ? deno.env.set(name, value) : (process.env[name] = value)),
  delete: (name) => (deno ? deno.env.delete(name) : delete process.env[name]),
};
const check = (condition, message) => {
  if (!condition) throw new Error(`${runtime}: ${message}`);
};

// Configured from the environment alone.
const client = new YottaClient({ bigint: true });
check(client.baseUrl === env.get('YOTTA_BASE_URL'), `baseUrl comes from YOTTA_BASE_URL (${client.baseUrl})`);
const result = await smoke(yotta, client, `smoke-${runtime.split(' ')[0].toLowerCase()}`);

// No key anywhere and no baseUrl: refused at construction, naming the variable.
const key = env.get('YOTTA_API_KEY');
env.delete('YOTTA_API_KEY');
const refused = (() => {
  try {
    return new YottaClient();
  } catch (error) {
    return error;
  }
})();
check(refused instanceof YottaError && refused.kind === 'configuration' && refused.field === 'YOTTA_API_KEY'
  && /YOTTA_API_KEY/.test(refused.message), `no key is a configuration error naming YOTTA_API_KEY (${refused})`);

if (bun || deno) {
  // The key proxy served by this runtime: a keyless client calls the API through it.
  const handler = createProxyHandler({ apiKey: key, baseUrl: env.get('YOTTA_BASE_URL') });
  const server = bun
    ? bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler })
    : deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, handler);
  const url = `http://127.0.0.1:${bun ? server.port : server.addr.port}`;
  try {
    const viaProxy = new YottaClient({ baseUrl: url });
    const endpoint = await viaProxy.getEndpoint(result.id);
    check(endpoint.id === result.id, 'a keyless client reads the endpoint through the proxy');
    const foreign = await fetch(`${url}/v2/serverless`, { headers: { origin: 'https://evil.example' } });
    check(foreign.status === 403, `the proxy refuses a foreign origin (${foreign.status})`);
    await foreign.body?.cancel();
    const unknown = await fetch(`${url}/_sim/state`);
    check(unknown.status === 404, `the proxy forwards only API routes (${unknown.status})`);
    await unknown.body?.cancel();
    result.steps.push('proxy');
  } finally {
    await (bun ? server.stop(true) : server.shutdown());
  }
}
env.set('YOTTA_API_KEY', key);
console.log(`SMOKE ${JSON.stringify({ runtime, ...result })}`);
