// What a misbehaving server cannot do to the package's client: make it carry the API key to
// another origin through a redirect, or fill memory with a body that never ends or inflates.
// Each server here listens on 127.0.0.1 and stops writing after a fixed number of bytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createGzip } from 'node:zlib';
import { ensureBuilt, queueSpec, startSimulator } from '../harness.js';

ensureBuilt();
const { YottaClient } = await import('../../dist/index.js');

const KEY = 'hostile-test-key';
/** The package's default body limit (`DEFAULT_MAX_BODY_BYTES`, 32 MiB). */
const LIMIT = 32 * 1024 * 1024;
let sim;
let endpointId;

/** Serves `handler(req, res)` on 127.0.0.1; `seen` lists each request's path and API key. */
async function serve(handler) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url, key: req.headers['x-api-key'] });
    handler(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, seen, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

const client = (baseUrl) => new YottaClient({ baseUrl, apiKey: KEY, maxRetries: 0, logLevel: 'off' });

before(async () => {
  sim = await startSimulator(['--api-key', KEY]);
  endpointId = (await client(sim.url).createEndpoint(queueSpec('hostile'))).id;
});
after(() => sim?.stop());

test('a redirect to another origin is not followed: the key stays on its origin', { timeout: 60_000 }, async () => {
  const elsewhere = await serve((req, res) => res.end('{"code":10000,"data":null}'));
  // Another port of the same host is another origin.
  const redirecting = await serve((req, res) => {
    res.writeHead(302, { location: `${elsewhere.url}${req.url}` });
    res.end();
  });
  try {
    await assert.rejects(client(redirecting.url).getEndpoint(endpointId), (error) => {
      assert.equal(error.kind, 'http');
      assert.equal(error.httpStatus, 302);
      return true;
    });
    assert.equal(redirecting.seen.length, 1);
    assert.deepEqual(elsewhere.seen, [], 'nothing reached the other origin');
  } finally {
    await Promise.all([elsewhere.stop(), redirecting.stop()]);
  }
});

test('a redirect within the origin is followed, with the key', { timeout: 60_000 }, async () => {
  // `/moved/...` answers as the simulator does for the path after it.
  const server = await serve(async (req, res) => {
    if (!req.url.startsWith('/moved/')) {
      res.writeHead(307, { location: `/moved${req.url}` });
      res.end();
      return;
    }
    const answer = await fetch(`${sim.url}${req.url.slice('/moved'.length)}`, { headers: { 'x-api-key': KEY } });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  });
  try {
    const endpoint = await client(server.url).getEndpoint(endpointId);
    assert.equal(endpoint.id, endpointId);
    assert.deepEqual(server.seen.map((request) => request.key), [KEY, KEY]);
    assert.ok(server.seen[1].path.startsWith('/moved/'));
  } finally {
    await server.stop();
  }
});

test('a body that never ends stops at the limit, and the download is cancelled', { timeout: 60_000 }, async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  let closed;
  const server = await serve((req, res) => {
    closed = new Promise((resolve) => res.on('close', resolve));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"code":10000,"data":');
    // Bounded: twice the limit at most, paced by the client's reading.
    const more = () => {
      while (written < 2 * LIMIT && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  try {
    await assert.rejects(client(server.url).getEndpoint(endpointId), (error) => {
      assert.equal(error.kind, 'decode');
      assert.match(error.message, /larger than the limit of 33554432 bytes/);
      return true;
    });
    await closed;
    assert.ok(written < 2 * LIMIT, `the server stopped early (${written} bytes written)`);
  } finally {
    await server.stop();
  }
});

test('a compressed body is limited by its inflated size, not its declared length', { timeout: 60_000 }, async () => {
  // 256 MiB of spaces inflates from about 256 KB: the Content-Length is small, the body is not.
  const bomb = await gzipped('{"code":10000,"data":', 256 * 1024 * 1024);
  const server = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
  });
  try {
    const before = process.memoryUsage().rss;
    await assert.rejects(client(server.url).getEndpoint(endpointId), (error) => {
      assert.equal(error.kind, 'decode');
      assert.match(error.message, /larger than the limit/);
      return true;
    });
    // Read whole, the body alone would be 256 MiB, and again as much in the wasm memory.
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    assert.ok(grown < 160, `memory grew by ${grown.toFixed(0)} MiB`);
  } finally {
    await server.stop();
  }
});

/** `head` followed by `spaces` spaces, gzipped without holding the inflated text. */
async function gzipped(head, spaces) {
  const zip = createGzip({ level: 1 });
  const parts = [];
  zip.on('data', (part) => parts.push(part));
  const done = new Promise((resolve, reject) => zip.on('end', resolve).on('error', reject));
  zip.write(head);
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let left = spaces; left > 0; left -= chunk.length) {
    if (!zip.write(chunk)) await new Promise((resolve) => zip.once('drain', resolve));
  }
  zip.end();
  await done;
  return Buffer.concat(parts);
}
