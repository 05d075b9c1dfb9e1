// The peer a dashboard developer could pick instead of our package: types generated from the
// same openapi/yotta.json by openapi-typescript (`cargo xtask bench` writes ./generated), calls
// through openapi-fetch. Same two calls as ours.js; bundled the same way.
import createClient from 'openapi-fetch';
import type { paths } from './generated/yotta-api';

export function connect(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });
  // The spec types ids as int64 (a JS number, exact only up to 2^53); endpoint ids exceed that,
  // so the exact digits are passed through as they are.
  const exact = (id: string) => id as unknown as number;
  return {
    async getEndpoint(id: string) {
      const { data, error } = await client.GET('/v2/serverless/{id}', { params: { path: { id: exact(id) } } });
      if (error !== undefined) throw new Error(`getEndpoint failed: ${JSON.stringify(error)}`);
      return data;
    },
    async listTasks(id: string) {
      const { data, error } = await client.GET('/v2/serverless/{id}/tasks', {
        params: { path: { id: exact(id) }, query: { pageNumber: 1, pageSize: 10 } },
      });
      if (error !== undefined) throw new Error(`listTasks failed: ${JSON.stringify(error)}`);
      return data;
    },
  };
}
