// The smoke suite in workerd (Cloudflare's runtime), as a module worker. runtimes.test.js serves
// it with the package's modules beside it and the simulator's URL and key as bindings.
//   GET /smoke  runs the smoke suite, the module handed to init() as Workers import it;
//   /api/...    is the key proxy (createProxyHandler), as a Worker deploys it.
import wasm from './yotta_wasm_bg.wasm';
import * as yotta from './index.js';
import { createProxyHandler } from './proxy.js';
import { smoke } from './smoke.js';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/api/')) {
      const proxy = createProxyHandler({ apiKey: env.YOTTA_API_KEY, baseUrl: env.YOTTA_BASE_URL, basePath: '/api' });
      return proxy(request);
    }
    try {
      // What Workers hand over for an imported .wasm file: a compiled WebAssembly.Module.
      if (!(wasm instanceof WebAssembly.Module)) throw new Error('the .wasm import is not a WebAssembly.Module');
      await yotta.default(wasm);
      const refused = (() => {
        try {
          return new yotta.YottaClient();
        } catch (error) {
          return error;
        }
      })();
      if (!(refused instanceof yotta.YottaError) || refused.field !== 'YOTTA_API_KEY') {
        throw new Error(`a worker has no environment variables: no key is a configuration error (${refused})`);
      }
      const client = new yotta.YottaClient({ apiKey: env.YOTTA_API_KEY, baseUrl: env.YOTTA_BASE_URL, bigint: true });
      const result = await smoke(yotta, client, 'smoke-workerd');
      return Response.json({ runtime: `workerd ${env.WORKERD_VERSION}`, ...result });
    } catch (error) {
      return Response.json({ error: `${error?.stack ?? error}` }, { status: 500 });
    }
  },
};
