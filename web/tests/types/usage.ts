// Compiled with `tsc --strict` (never run): the package's declarations must accept correct use
// and reject mistakes. Each @ts-expect-error fails the compile if the mistake stops being an error.
import init, {
  GPU_TYPES, REGISTRY_TYPES, YottaClient, YottaError, YottaApiError, YottaTaskFailedError, YottaAbortError, parseTaskNotification,
  verifyTaskNotification,
} from '../../dist/index.js';
import type {
  CallOptions, Credential, Endpoint, RegistryType, EndpointPatch, EndpointSpec, EndpointStatus, ErrorKind, ExactJsonValue, GpuType, JsonValue,
  LogLevel, LogLine, Logger, Task, TaskPage, YottaClientOptions,
} from '../../dist/index.js';
import { createProxyHandler } from '../../dist/proxy.js';
import type { ProxyOptions } from '../../dist/proxy.js';

await init(); // optional: methods load the module themselves
await init(new URL('https://dash.example/yotta_wasm_bg.wasm'));
await init(new Uint8Array([0, 97, 115, 109]));
declare const compiled: WebAssembly.Module; // what Cloudflare Workers hand over for an imported .wasm
await init(compiled);
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

// Client options: the JavaScript ones beside the data ones.
const logger: Logger = console;
const level: LogLevel = 'debug';
const configured = new YottaClient({
  apiKey: 'key',
  baseUrl: '/api/yotta',
  fetch: (url, request) => fetch(url, request),
  defaultHeaders: { 'x-team': 'ml' },
  logLevel: level,
  logger: { error: () => {}, warn: () => {}, info: (line: string) => logger.info(line), debug: () => {} },
  dangerouslyAllowBrowser: true,
});
const settings: YottaClientOptions = { logLevel: 'off' };
// @ts-expect-error log levels are a closed list
new YottaClient({ logLevel: 'verbose' });
// @ts-expect-error a logger has error, warn, info and debug
new YottaClient({ logger: { info: () => {} } });
// @ts-expect-error header values are strings
new YottaClient({ defaultHeaders: { 'x-count': 2 } });
// @ts-expect-error fetch is a function
new YottaClient({ fetch: 'https://proxy.example' });
// @ts-expect-error bigint is true or false
new YottaClient({ bigint: 'yes' });

// Every method's last argument: signal, timeoutMs, maxRetries, headers.
const call: CallOptions = { signal: AbortSignal.timeout(5000), timeoutMs: 5000, maxRetries: 0, headers: { 'x-request-id': 'r1' } };
await configured.getEndpoint(id, call);
await configured.listEndpoints({ status: 'RUNNING', timeoutMs: 2000 });
await configured.waitForTask(id, taskId, { timeoutMs: 60_000, intervalMs: 500, maxRetries: 1, headers: { 'x-a': 'b' } });
// @ts-expect-error per-call header values are strings
await configured.getEndpoint(id, { headers: { 'x-count': 2 } });
// @ts-expect-error timeoutMs is a number of milliseconds
await configured.deleteEndpoint(id, { timeoutMs: '5s' });

// Task data: JsonValue (no bigint) unless the client opts into exact bigints.
const json: JsonValue = (await client.getTask(id, taskId)).output;
// @ts-expect-error JsonValue does not promise bigint
const notJson: JsonValue = 1n;
const exact = new YottaClient({ bigint: true });
const exactOutput: ExactJsonValue = (await exact.getTask(id, taskId)).output;
// @ts-expect-error an exact client's data may hold bigints
const lossy: JsonValue = (await exact.getTask(id, taskId)).output;
const taskPage: TaskPage<ExactJsonValue> = await exact.listTasks(id);
await client.submitTask(id, { input: { big: 9007199254740993n }, workerPort: 8000, processUri: '/run' }); // bigints are always sent exactly
const exactNote = parseTaskNotification('{}', { bigint: true });
const exactResult: ExactJsonValue = exactNote.result;
const verified = verifyTaskNotification('{}', 'Bearer k', { expectedKey: 'k', maxAgeMs: 60_000 });
const plainResult: JsonValue = verified.result;

// run: the output, or a YottaTaskFailedError.
const runOutput: JsonValue = await client.run(id, { input: { prompt: 'hi' }, workerPort: 8000, processUri: '/run' }, {
  timeoutMs: 120_000, onProgress: (t: Task) => t.status, signal: controller.signal,
});
const exactRun: ExactJsonValue = await exact.run(id, { input: 1, workerPort: 8000, processUri: '/run' });
// @ts-expect-error run takes a task spec
await client.run(id, { prompt: 'hi' });

// Endpoint changes: a patch, or a fetched endpoint with changes.
const changes: EndpointPatch = { workers: 2, environmentVars: [{ key: 'MODEL', value: 'llama' }], webhook: null };
const patched: Endpoint = await client.patchEndpoint(id, changes, { maxRetries: 1 });
// @ts-expect-error no such field
await client.patchEndpoint(id, { worker: 2 });
// @ts-expect-error the image is fixed at creation
await client.patchEndpoint(id, { image: 'other' });
await client.updateEndpoint(id, { ...endpoint, workers: 2, containerVolumeInGb: 80 });
// @ts-expect-error a fetched endpoint reports no configured worker count: say it
await client.updateEndpoint(id, { ...endpoint });

// Errors: families, cause, status, excerpt, the failed task.
try {
  await client.run(id, { input: {}, workerPort: 8000, processUri: '/run' });
} catch (error) {
  if (error instanceof YottaTaskFailedError) {
    const failedTask: string = error.taskId;
    const taskError: string | null = error.taskError;
    const kind: ErrorKind = error.kind;
    console.log(failedTask, taskError, kind);
  } else if (error instanceof YottaApiError) {
    const excerpt: string | null = error.bodyExcerpt;
    const httpStatus: number | null = error.httpStatus;
    console.log(excerpt, httpStatus);
  } else if (error instanceof YottaAbortError) {
    const reason: unknown = error.cause;
    console.log(reason);
  }
}

// The GPU catalogue: read-only, with the code a resource takes.
const gpu: Readonly<GpuType> = GPU_TYPES[0];
const gpuLabel: string = `${gpu.displayName} (${gpu.vramGb} GB)`;
await client.createEndpoint({ ...spec, resources: [{ region: 'us-east-1', gpuType: gpu.code, gpuCount: 1 }] });
// @ts-expect-error the catalogue cannot be changed
GPU_TYPES.push(gpu);
// @ts-expect-error nor its entries
GPU_TYPES[0].vramGb = 1;

// Registry credentials: the secret is write-only, ids are strings.
const credential: Credential = await client.createCredential({ name: 'ghcr', type: 'PRIVATE', username: 'me', password: 'token' });
const credentialName: string = credential.name;
await client.createEndpoint({ ...spec, credentialId: credential.id });
await client.updateCredential(credential.id, { password: 'rotated' });
const credentials: Credential[] = await client.listCredentials({ timeoutMs: 5_000 });
await client.deleteCredential(credentials[0].id);
const registry: RegistryType = REGISTRY_TYPES[0];
await client.createCredential({ name: 'hub', type: registry, username: 'me', password: 'token' });
// @ts-expect-error a credential needs its secret
await client.createCredential({ name: 'ghcr', username: 'me' });
// @ts-expect-error no answer carries the secret
credential.password;

// The key proxy.
const proxyOptions: ProxyOptions = { apiKey: 'key', baseUrl: 'https://api.yottalabs.ai', allowOrigin: ['http://localhost:5173'], basePath: '/api/yotta' };
const handler: (request: Request) => Promise<Response> = createProxyHandler(proxyOptions);
const response: Response = await handler(new Request('https://dash.example/api/yotta/v2/serverless'));
createProxyHandler({ allowOrigin: 'http://localhost:5173', maxBodyBytes: 1 << 20, fetch: (url, request) => fetch(url, request) });
// @ts-expect-error origins are strings
createProxyHandler({ allowOrigin: 5173 });

export { status, future, cost, list, page, output, hasMore, delivered, wrongKind, settings, json, notJson, exactOutput, lossy };
export { taskPage, exactResult, plainResult, runOutput, exactRun, patched, response, gpuLabel, credentialName };
