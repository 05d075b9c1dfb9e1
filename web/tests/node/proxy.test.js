// createProxyHandler (yotta-serverless/proxy): the key proxy for production dashboards. The same
// raw requests go to it (behind a small node:http adapter) and to the development server's proxy
// mode (yotta-sim --upstream), both in front of one upstream simulator: they must answer alike.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Readable } from 'node:stream';
import { ensureBuilt, startSimulator } from '../harness.js';

ensureBuilt();
const { createProxyHandler } = await import('../../dist/proxy.js');
const { YottaClient, YottaError } = await import('../../dist/index.js');

const KEY = 'proxy-test-key';
const DASHBOARD = 'http://dash.example:5173';
let upstream;
let devProxy;
let handlerProxy;
let mounted;

/** Serves `handler` (Request => Promise<Response>) on 127.0.0.1, as Node has no such server. */
async function serve(handler) {
  const server = http.createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (['host', 'connection', 'transfer-encoding'].includes(name)) continue;
      for (const one of [value].flat()) headers.append(name, one);
    }
    const body = ['GET', 'HEAD'].includes(req.method) ? undefined : Readable.toWeb(req);
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body, duplex: 'half' });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

/** One raw request (any headers, no fetch rules): `{ status, headers, body }`. */
function send(base, { method = 'GET', path = '/v2/serverless', headers = {}, body } = {}) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    // A server refusing a large body may close before reading it all.
    req.on('error', (error) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

before(async () => {
  upstream = await startSimulator(['--api-key', KEY]);
  devProxy = await startSimulator(['--upstream', upstream.url, '--allow-origin', DASHBOARD], { YOTTA_API_KEY: KEY });
  handlerProxy = await serve(createProxyHandler({ apiKey: KEY, baseUrl: upstream.url, allowOrigin: DASHBOARD }));
  mounted = await serve(createProxyHandler({ apiKey: KEY, baseUrl: upstream.url, basePath: '/api/yotta' }));
});

after(async () => {
  await handlerProxy?.stop();
  await mounted?.stop();
  await devProxy?.stop();
  await upstream?.stop();
});

describe('the key proxy and the development server agree', () => {
  const own = (base) => base; // each proxy's own origin is its URL
  const cases = [
    ['a server-side call (no Origin)', {}, 200],
    ['the proxy\'s own page', { headers: { origin: own, 'sec-fetch-site': 'same-origin' } }, 200],
    ['a foreign origin', { headers: { origin: 'https://evil.example' } }, 403],
    ['an opaque origin', { headers: { origin: 'null' } }, 403],
    ['a cross-site request without Origin (a form, an image)', { headers: { 'sec-fetch-site': 'cross-site' } }, 403],
    ['a same-site request from another origin', { headers: { 'sec-fetch-site': 'same-site' } }, 403],
    ['a granted origin, cross-site', { headers: { origin: DASHBOARD, 'sec-fetch-site': 'cross-site' } }, 200],
    ['a granted origin\'s preflight', {
      method: 'OPTIONS', headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' },
    }, 200],
    ['a foreign preflight', {
      method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    }, 403],
    ['a path that is no API route', { path: '/v2/serverless/1/bogus' }, 404],
    ['a path outside the API', { path: '/etc/passwd' }, 404],
    ['a route with another method', { method: 'DELETE', path: '/v2/serverless' }, 405],
    ['a v1 route', { path: '/openapi/v1/elastic/deploy/list' }, 200],
    ['a body over 16 MiB', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(16 * 1024 * 1024 + 1, 32),
    }, 413],
  ];
  for (const [name, request, status] of cases) {
    test(name, async () => {
      for (const base of [devProxy.url, handlerProxy.url]) {
        const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k, typeof v === 'function' ? v(base) : v]));
        const answer = await send(base, { ...request, headers });
        const who = base === devProxy.url ? 'yotta-sim --upstream' : 'createProxyHandler';
        assert.equal(answer.status, status, `${who}: ${answer.body.slice(0, 300)}`);
        if (status === 200 && request.headers?.origin === DASHBOARD) {
          assert.equal(answer.headers['access-control-allow-origin'], DASHBOARD, `${who} grants the dashboard`);
        }
        if (status === 403 || status === 404) assert.equal(JSON.parse(answer.body).code, status, `${who}: a JSON envelope`);
      }
    });
  }

  test('the key is added; cookies and the caller\'s credentials are not passed on', async () => {
    await fetch(`${upstream.url}/_sim/requests`, { method: 'DELETE' });
    for (const base of [devProxy.url, handlerProxy.url]) {
      const answer = await send(base, {
        headers: { cookie: 'session=s3cret', authorization: 'Bearer caller', 'x-api-key': 'the-callers-own', 'x-forwarded-for': '10.0.0.1' },
      });
      assert.equal(answer.status, 200, 'the upstream accepted the proxy\'s key, not the caller\'s');
      assert.equal(answer.headers['set-cookie'], undefined);
    }
    const { requests } = await upstream.admin('requests');
    assert.equal(requests.length, 2);
    for (const { headers } of requests) {
      assert.equal(headers['x-api-key'], '***', 'a key arrived (the log redacts it)');
      for (const dropped of ['cookie', 'authorization', 'x-forwarded-for']) assert.equal(headers[dropped], undefined, dropped);
    }
  });

  test('an unreachable API is a 502', async () => {
    const closed = 'http://127.0.0.1:9';
    const dev = await startSimulator(['--upstream', closed], { YOTTA_API_KEY: KEY });
    const handler = await serve(createProxyHandler({ apiKey: KEY, baseUrl: closed }));
    try {
      for (const base of [dev.url, handler.url]) assert.equal((await send(base)).status, 502);
    } finally {
      await handler.stop();
      await dev.stop();
    }
  });
});

describe('createProxyHandler', () => {
  test('a keyless client calls the API through it', async () => {
    const client = new YottaClient({ baseUrl: handlerProxy.url });
    const created = await client.createEndpoint({
      name: 'via-proxy', image: 'vllm/vllm-openai:latest', workers: 1, containerVolumeInGb: 40, serviceMode: 'QUEUE',
      resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],
    });
    assert.equal((await client.getEndpoint(created.id)).name, 'via-proxy');
    assert.equal((await new YottaClient({ baseUrl: `${mounted.url}/api/yotta` }).getEndpoint(created.id)).id, created.id,
      'mounted under basePath');
    assert.equal((await send(mounted.url, { path: '/v2/serverless' })).status, 404, 'outside basePath');
  });

  test('checks its options, naming the one at fault', () => {
    const saved = process.env.YOTTA_API_KEY;
    delete process.env.YOTTA_API_KEY;
    try {
      assert.throws(() => createProxyHandler(), (e) => e instanceof YottaError && e.kind === 'configuration'
        && e.field === 'YOTTA_API_KEY');
    } finally {
      if (saved !== undefined) process.env.YOTTA_API_KEY = saved;
    }
    assert.throws(() => createProxyHandler({ apiKey: KEY, baseUrl: 'http://api.example.com' }),
      (e) => e.kind === 'validation' && e.field === 'baseUrl' && /plain http/.test(e.message));
    assert.throws(() => createProxyHandler({ apiKey: KEY, allowOrigin: ['http://ok.example', 'http://x.example/path'] }),
      (e) => e.kind === 'validation' && e.field === 'allowOrigin[1]');
    assert.throws(() => createProxyHandler({ apiKey: KEY, maxBodyBytes: -1 }), (e) => e.field === 'maxBodyBytes');
    process.env.YOTTA_API_KEY = 'from-env';
    try {
      assert.equal(typeof createProxyHandler(), 'function', 'the key defaults to YOTTA_API_KEY');
    } finally {
      if (saved === undefined) delete process.env.YOTTA_API_KEY;
      else process.env.YOTTA_API_KEY = saved;
    }
  });

  test('caps bodies it reads in chunks, without a Content-Length', async () => {
    const small = createProxyHandler({ apiKey: KEY, baseUrl: upstream.url, maxBodyBytes: 10 });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"name": '));
        controller.enqueue(new TextEncoder().encode('"far too long"}'));
        controller.close();
      },
    });
    const response = await small(new Request('http://127.0.0.1/v2/serverless', { method: 'POST', body: stream, duplex: 'half' }));
    assert.equal(response.status, 413);
  });
});
