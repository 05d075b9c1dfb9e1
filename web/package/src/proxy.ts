// `yotta-serverless/proxy`, `createProxyHandler`: the server-side half of a browser dashboard. The page calls the API on
// its own origin without a key; this handler adds the key and forwards the API's routes, under
// the same rules as the development server's proxy mode (`yotta-sim --upstream`, see
// crates/yotta-sim/src/proxy.rs and origin.rs). Needs no WebAssembly.

import { env, isBrowser, misconfigured } from './config.js';
import { invalid } from './json.js';
import { ROUTES } from './routes.js';

export { YottaError } from './error.js';

/** Options of `createProxyHandler`. */
export interface ProxyOptions {
  /** The key added to every forwarded request. Default: `YOTTA_API_KEY` (Node, Bun, Deno). */
  apiKey?: string;
  /** Where requests go. Default: `YOTTA_BASE_URL`, else `https://api.yottalabs.ai`. */
  baseUrl?: string;
  /**
   * Other origins whose pages may call the proxy, e.g. `'http://localhost:5173'` (a dev
   * server), granted with CORS. The proxy's own origin is always served; every other origin is
   * refused.
   */
  allowOrigin?: string | string[];
  /** The path the handler is mounted at, e.g. `'/api/yotta'`: removed before forwarding. */
  basePath?: string;
  /** The largest request body forwarded (default 16 MiB, as the development server's). */
  maxBodyBytes?: number;
  /** Sends the forwarded requests (default: the global `fetch`). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** The request headers passed on; cookies, `Authorization`, a caller's `X-API-Key` and the rest stay behind. */
const FORWARDED_REQUEST = ['content-type', 'accept', 'accept-language', 'user-agent'];
/** The response headers passed back. */
const FORWARDED_RESPONSE = ['content-type', 'retry-after', 'cache-control'];
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Whether a request path fills the route template `/v2/serverless/{id}` (one segment per parameter). */
function fills(template: string, path: string): boolean {
  const want = template.split('/');
  const have = path.split('/');
  return want.length === have.length && want.every((part, i) => (part.startsWith('{') ? have[i] !== '' : part === have[i]));
}

/** An http(s) URL's origin, or undefined. */
function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && text.replace(/\/$/, '') === url.origin ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A request handler that serves the Yotta API to your own pages with the API key added, so the
 * key never reaches a browser. It forwards only the API's documented routes (both versions),
 * adds `X-API-Key`, passes on no cookies or other credentials, refuses requests from other
 * sites (an `Origin` that is neither its own nor granted, or `Sec-Fetch-Site: cross-site` or
 * `same-site`), and refuses bodies over `maxBodyBytes`. Refusals are JSON `{ code, message }`
 * with status 403, 404, 405 or 413; an unreachable API is a 502.
 *
 * @example
 * // Next.js: app/api/yotta/[...path]/route.js (the page uses { baseUrl: '/api/yotta' })
 * import { createProxyHandler } from 'yotta-serverless/proxy';
 * const handler = createProxyHandler({ basePath: '/api/yotta' }); // key from YOTTA_API_KEY
 * export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
 *
 * @example
 * // Deno or Bun, serving the page's API calls on its origin
 * Deno.serve(createProxyHandler({ apiKey: Deno.env.get('YOTTA_API_KEY') }));
 * Bun.serve({ fetch: createProxyHandler() });
 *
 * @example
 * // Cloudflare Worker (the key is a secret binding)
 * export default { fetch: (request, env) => createProxyHandler({ apiKey: env.YOTTA_API_KEY })(request) };
 */
export function createProxyHandler(options: ProxyOptions = {}): (request: Request) => Promise<Response> {
  if (isBrowser()) {
    throw misconfigured('createProxyHandler', 'runs on a server: a page that held the key would show it to its users');
  }
  const apiKey = options.apiKey ?? env('YOTTA_API_KEY');
  if (typeof apiKey !== 'string' || !apiKey.trim()) {
    throw misconfigured('YOTTA_API_KEY', 'the proxy needs an API key: set YOTTA_API_KEY or pass { apiKey }');
  }
  const base = (options.baseUrl ?? env('YOTTA_BASE_URL') ?? 'https://api.yottalabs.ai').replace(/\/+$/, '');
  let target: URL;
  try {
    target = new URL(base);
  } catch {
    throw invalid('baseUrl', `is not a valid URL (expected http://host or https://host): ${JSON.stringify(base)}`);
  }
  const loopback = /^(localhost|.+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(target.hostname);
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && loopback)) {
    throw invalid('baseUrl', 'refusing to send the API key over plain http to a non-loopback host: use https');
  }
  const granted = [options.allowOrigin ?? []].flat().map((text, i) => {
    const origin = typeof text === 'string' ? originOf(text) : undefined;
    if (!origin) throw invalid(`allowOrigin[${i}]`, 'must be an origin: SCHEME://HOST[:PORT], e.g. http://localhost:5173');
    return origin;
  });
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) throw invalid('maxBodyBytes', 'must be a whole number of bytes');
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  if (typeof send !== 'function') throw invalid('fetch', 'must be a function');

  return async (request) => {
    const url = new URL(request.url);
    const origin = request.headers.get('origin');
    const grant = origin !== null && granted.includes(origin) ? origin : undefined;
    const cors: Record<string, string> = grant
      ? { 'access-control-allow-origin': grant, 'access-control-expose-headers': 'retry-after', vary: 'origin' }
      : {};
    const answer = (status: number, message: string) =>
      new Response(JSON.stringify({ code: status, message, data: null }), {
        status,
        headers: { ...cors, 'content-type': 'application/json' },
      });
    if (origin !== null && !grant && origin !== url.origin) {
      return answer(403, `Forbidden: Origin ${JSON.stringify(origin)} is not this server's own (${url.origin}); grant another origin with allowOrigin`);
    }
    const site = request.headers.get('sec-fetch-site')?.toLowerCase();
    if (!grant && (site === 'cross-site' || site === 'same-site')) {
      return answer(403, `Forbidden: Sec-Fetch-Site ${JSON.stringify(site)}: only this server's own pages may call it`);
    }
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      return new Response(null, {
        status: 200,
        headers: grant
          ? {
            ...cors,
            'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
            'access-control-allow-headers': 'x-api-key,content-type,accept',
            'access-control-max-age': '600',
          }
          : {},
      });
    }
    const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : undefined;
    const methods = path === undefined ? [] : ROUTES.filter((route) => fills(route.split(' ')[1], path)).map((route) => route.split(' ')[0]);
    if (!methods.length) return answer(404, `No endpoint ${url.pathname}`);
    if (!methods.includes(request.method)) return answer(405, `Request method '${request.method}' is not supported`);
    const declared = Number(request.headers.get('content-length') ?? 0);
    const body = declared > limit ? null : await readCapped(request, limit);
    if (body === null) return answer(413, 'request body too large');
    const headers: Record<string, string> = { 'x-api-key': apiKey };
    for (const name of FORWARDED_REQUEST) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    let upstream: Response;
    try {
      upstream = await send(`${base}${path}${url.search}`, {
        method: request.method,
        headers,
        body: body?.length ? body : undefined,
        redirect: 'manual',
      });
    } catch (error) {
      return answer(502, `upstream ${base} unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const back: Record<string, string> = { ...cors };
    for (const name of FORWARDED_RESPONSE) {
      const value = upstream.headers.get(name);
      if (value !== null) back[name] = value;
    }
    const empty = upstream.status === 204 || upstream.status === 304;
    return new Response(empty ? null : upstream.body, { status: upstream.status, headers: back });
  };
}

/** The request's body, or null when it is longer than `limit` (reading stops there). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined | null> {
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}
