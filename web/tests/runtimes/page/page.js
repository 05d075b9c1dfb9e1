// The smoke suite in a browser page served by the simulator, which stands in for the dashboard's
// same-origin key proxy (--inject-key). No init(): the first call loads the WebAssembly module.
// The outcome lands in `window.smokeResult`.
import * as yotta from './dist/index.js';
import { createProxyHandler } from './dist/proxy.js';
import { smoke } from './smoke.js';

const check = (condition, message) => {
  if (!condition) throw new Error(`smoke check failed: ${message}`);
};

try {
  // A page holds no key: an apiKey is refused, explaining the proxy, unless explicitly allowed.
  const refused = (() => {
    try {
      return new yotta.YottaClient({ apiKey: 'page-key' });
    } catch (error) {
      return error;
    }
  })();
  check(refused instanceof yotta.YottaInputError && refused.kind === 'configuration' && refused.field === 'apiKey'
    && /proxy/.test(refused.message), `an apiKey in a page is refused (${refused})`);
  check(new yotta.YottaClient({ apiKey: 'page-key', dangerouslyAllowBrowser: true }).baseUrl === 'https://api.yottalabs.ai',
    'dangerouslyAllowBrowser lets a page hold a key');
  check(new yotta.YottaClient({ baseUrl: '/api' }).baseUrl === `${location.origin}/api`, 'a relative baseUrl is on the page\'s origin');
  const proxyInPage = (() => {
    try {
      return createProxyHandler({ apiKey: 'page-key' });
    } catch (error) {
      return error;
    }
  })();
  check(proxyInPage instanceof yotta.YottaError && proxyInPage.field === 'createProxyHandler',
    `the key proxy refuses to run in a page (${proxyInPage})`);

  const client = new yotta.YottaClient({ bigint: true });
  check(client.baseUrl === location.origin, `without a key the client calls the page's origin (${client.baseUrl})`);
  const result = await smoke(yotta, client, 'smoke-browser');
  window.smokeResult = { runtime: navigator.userAgent, ...result };
} catch (error) {
  window.smokeResult = { error: String(error?.stack ?? error) };
}
