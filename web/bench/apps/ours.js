// The app a dashboard developer writes with our package: two calls. `cargo xtask bench` bundles
// it with esbuild (--bundle --minify) for the size comparison and the browser benchmark.
import init, { YottaClient } from '../../dist/index.js';

export async function connect(baseUrl, options = {}) {
  await init();
  const client = new YottaClient({ baseUrl, ...options });
  return {
    getEndpoint: (id) => client.getEndpoint(id),
    listTasks: (id) => client.listTasks(id, { pageNumber: 1, pageSize: 10 }),
  };
}
