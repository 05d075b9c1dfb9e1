// Compiled with `tsc --strict` (never run): the package's declarations must accept correct use
// and reject mistakes. Each @ts-expect-error fails the compile if the mistake stops being an error.
import init, { YottaClient, YottaError, parseTaskNotification } from '../../pkg/index.js';
import type { Endpoint, EndpointSpec, EndpointStatus, ErrorKind, LogLine, Task, TaskPage } from '../../pkg/index.js';

await init();
const client = new YottaClient({ apiKey: 'key', apiVersion: 'v1', timeoutMs: 5000, maxRetries: 1 });
const anonymous = new YottaClient();
const controller = new AbortController();

const spec: EndpointSpec = {
  name: 'llama',
  image: 'vllm/vllm-openai:latest',
  resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],
  workers: 1,
  containerVolumeInGb: 40,
  serviceMode: 'QUEUE',
  environmentVars: [{ key: 'MODEL', value: 'llama' }],
  expose: { port: 8000, protocol: 'http' },
};
const endpoint: Endpoint = await client.createEndpoint(spec, { signal: controller.signal });
const id: string = endpoint.id;
const status: EndpointStatus = endpoint.status;
const future: EndpointStatus = 'DELETED'; // open: values the docs do not list yet are accepted
const cost: number | null = endpoint.cost;
const list: Endpoint[] = await anonymous.listEndpoints({ status: ['RUNNING', 'STOPPED'] });
await client.waitForStatus(id, 'RUNNING', { timeoutMs: 60_000, onProgress: (e) => e.status.toLowerCase() });
await client.scaleWorkers(id, 2);
const page: TaskPage = await client.listTasks(id, { status: 'SUCCESS', pageNumber: 1, pageSize: 10 });
const taskId: string = await client.submitTask(id, { input: { prompt: 'hi' }, workerPort: 8000, processUri: '/run' });
const task: Task = await client.waitForTask(id, taskId);
const output = task.output;
for await (const line of client.workerLogs(id, 'worker', { keyword: 'error', direction: 'Backward', follow: false })) {
  const text: string = (line satisfies LogLine).log;
}
for await (const each of client.tasks(id, { status: 'FAILED' })) {
  const reason: string | null | undefined = each.error;
}
const logs = await client.workerLogsPage(id, 'worker', { pageSize: 100, after: { time: '1', offset: 2 } });
const hasMore: boolean = logs.hasMore;
const note = parseTaskNotification('{}');
const delivered: boolean = note.success;

try {
  await client.deleteEndpoint(id);
} catch (error) {
  if (error instanceof YottaError) {
    const kind: ErrorKind = error.kind;
    const code: number | null = error.code;
    const field: string | null = error.field;
    const advice: string | null = error.advice;
    if (error.kind === 'notAllowed' && error.httpStatus === 200) console.log(error.message, kind, code, field, advice);
  }
}

// @ts-expect-error ids are strings (numbers above 2^53 lose digits)
await client.getEndpoint(378888638324150969);
// @ts-expect-error unknown option
new YottaClient({ retries: 3 });
// @ts-expect-error apiVersion is 'v1' or 'v2'
new YottaClient({ apiVersion: 'v3' });
// @ts-expect-error a spec needs its required fields
await client.createEndpoint({ name: 'x' });
// @ts-expect-error no such field on Endpoint
endpoint.webhookUrl;
// @ts-expect-error kinds are a closed list
const wrongKind: ErrorKind = 'oops';
// @ts-expect-error the direction is Forward or Backward
await client.workerLogsPage(id, 'w', { direction: 'Sideways' });
// @ts-expect-error count is a number
await client.scaleWorkers(id, '2');

export { status, future, cost, list, page, output, hasMore, delivered, wrongKind };
