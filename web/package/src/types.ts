// @generated from the Rust types by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).
// Do not edit by hand: change the Rust types, then run the tests, which rewrite this file.
import type { ExactJsonValue, JsonValue } from './json.js';

/** US dollars. */
export type Amount = number;

export type ApiVersionName = "v1" | "v2";

/** Options of `new YottaClient(options)`. */
export interface ClientOptions {
  /** Default: `YOTTA_BASE_URL` in Node, Bun and Deno; in a browser without `apiKey`, the
   * page's origin (a same-origin proxy adds the key; a path such as `'/api/yotta'` is taken
   * on that origin); else `https://api.yottalabs.ai`. */
  baseUrl?: string | null;
  /** Sent as `X-API-Key`. Default: `YOTTA_API_KEY` in Node, Bun and Deno. Leave it out in
   * browsers and serve the API through a proxy that adds it (`createProxyHandler`). */
  apiKey?: string | null;
  /** Default: `YOTTA_API_VERSION` in Node, Bun and Deno, else `"v2"`. */
  apiVersion?: ApiVersionName | null;
  /** Per-attempt time limit in milliseconds (default 30000). */
  timeoutMs?: number | null;
  /** Retries after transient failures (default 2). */
  maxRetries?: number | null;
  /** Headers sent with every request, e.g. `{ 'x-team': 'ml' }` (the SDK's own headers, such
   * as `x-api-key` and `content-type`, cannot be replaced). */
  defaultHeaders?: Record<string, string> | null;
}

/** A registry credential as the API describes it. Its secret is never returned. */
export interface Credential {
  id: CredentialId;
  name: string;
  /** The registry's kind (v2; v1 does not report it). */
  type: RegistryType | null;
  /** As sent by the API (ISO 8601 in v2). */
  createdAt: string | null;
}

/** An id, always as a string (exact beyond 2^53). */
export type CredentialId = string;

/** A registry credential to create, for private images (`createCredential`).
 * 
 * The secret is `password` in both versions (v1's `token` is accepted as a spelling); `type` is sent where the version has it (v2: the guide requires it).
 * 
 * @example
 * const credential = await client.createCredential({ name: 'dockerhub', type: 'DOCKER_HUB', username: 'me', password: token }); */
export interface CredentialSpec {
  name: string;
  type?: RegistryType | null;
  username: string;
  /** The registry password or access token (write-only: never returned). */
  password: string;
}

/** Changes for `updateCredential`: fields left out or `null` keep their values (a v1 client's update goes to v2, which serves the same credentials). */
export interface CredentialUpdate {
  name?: string | null;
  username?: string | null;
  /** A new password or access token (write-only: never returned). */
  password?: string | null;
}

export type DeliveryStatus = "INIT" | "SUCCESS" | "FAILED" | "MAX_RETRIES_EXCEEDED" | (string & {});

/** Which way to page through logs. */
export type Direction = "Forward" | "Backward";

/** An endpoint as the API describes it. */
export interface Endpoint {
  id: EndpointId;
  name: string;
  status: EndpointStatus;
  serviceMode: ServiceMode | null;
  image: string | null;
  imageRegistry: string | null;
  /** Creator's email. */
  creator: string | null;
  /** The load balancer's domain (ALB endpoints). */
  domain: string | null;
  resources: ResourceInfo[];
  minSingleCardVramInGb: number | null;
  minSingleCardVcpu: number | null;
  minSingleCardRamInGb: number | null;
  credentialId: CredentialId | null;
  containerVolumeInGb: number | null;
  initializationCommand: string | null;
  environmentVars: EnvVar[];
  expose: Expose | null;
  totalWorkers: number | null;
  runningWorkers: number | null;
  /** Accumulated cost. */
  cost: Amount | null;
  perSecondPrice: Amount | null;
  perHourPrice: Amount | null;
  /** Webhook URL (v1 calls it `webhookUrl`). */
  webhook: string | null;
}

/** An id, always as a string (exact beyond 2^53). */
export type EndpointId = string;

/** Changes for `patchEndpoint`: the fields given are changed; the others, and those given as `null`, keep their current values. A patch cannot clear an optional field: see `patchEndpoint`.
 * 
 * @example
 * await client.patchEndpoint(id, { workers: 3, webhook: 'https://hooks.example.com/yotta' }); */
export interface EndpointPatch {
  name?: string | null;
  resources?: Resource[] | null;
  workers?: number | null;
  containerVolumeInGb?: number | null;
  minSingleCardVramInGb?: number | null;
  minSingleCardVcpu?: number | null;
  minSingleCardRamInGb?: number | null;
  credentialId?: CredentialId | null;
  initializationCommand?: string | null;
  environmentVars?: EnvVar[] | null;
  expose?: Expose | null;
  webhook?: string | null;
}

/** Everything needed to create an endpoint.
 * 
 * Field names follow the docs; the guides' other spellings are accepted too (`envVars`, `webhookUrl`, `containerRegistryAuthId`), and the SDK sends each version's own spelling.
 * 
 * @example
 * const endpoint = await client.createEndpoint({
 *   name: 'llama-inference',
 *   image: 'vllm/vllm-openai:latest',
 *   resources: [{ region: 'us-east-1', gpuType: 'NVIDIA_RTX_4090_24G', gpuCount: 1 }],
 *   workers: 2,
 *   containerVolumeInGb: 120,
 *   serviceMode: 'QUEUE',
 *   environmentVars: [{ key: 'MODEL', value: 'llama-3-8b' }],
 * }); */
export interface EndpointSpec {
  name: string;
  image: string;
  imageRegistry?: string | null;
  resources: Resource[];
  workers: number;
  containerVolumeInGb: number;
  serviceMode: ServiceMode;
  minSingleCardVramInGb?: number | null;
  minSingleCardVcpu?: number | null;
  minSingleCardRamInGb?: number | null;
  credentialId?: CredentialId | null;
  initializationCommand?: string | null;
  environmentVars?: EnvVar[];
  expose?: Expose | null;
  webhook?: string | null;
}

export type EndpointStatus = "INITIALIZING" | "RUNNING" | "STOPPING" | "STOPPED" | "FAILED" | "TERMINATED" | (string & {});

/** A new configuration for an existing endpoint: both versions replace the whole configuration (v1 only while the endpoint is STOPPED). Start from the current one, whose read-only fields are ignored, or change a few fields with `patchEndpoint`.
 * 
 * The API reports live workers (`totalWorkers`), not the configured count: set `workers` explicitly.
 * 
 * @example
 * const current = await client.getEndpoint(id);
 * await client.updateEndpoint(id, { ...current, workers: 2, containerVolumeInGb: 80 }); */
export interface EndpointUpdate {
  name: string;
  resources: Resource[];
  workers: number;
  containerVolumeInGb: number;
  minSingleCardVramInGb?: number | null;
  minSingleCardVcpu?: number | null;
  minSingleCardRamInGb?: number | null;
  credentialId?: CredentialId | null;
  initializationCommand?: string | null;
  environmentVars?: EnvVar[];
  expose?: Expose | null;
  webhook?: string | null;
}

/** An environment variable of the workers. */
export interface EnvVar {
  key: string;
  value: string;
}

export type ErrorKind = "notFound" | "invalidParameter" | "notAllowed" | "quotaExceeded" | "insufficientGpus" | "taskNotFound" | "unavailable" | "internal" | "rateLimited" | "unauthorized" | "validation" | "http" | "timeout" | "network" | "decode" | "aborted" | "configuration" | "taskFailed" | "unknown";

/** The port a worker exposes (the HTTP port of ALB endpoints, or a health-check port). */
export interface Expose {
  port: number;
  /** e.g. `"http"` or `"tcp"`; required by v2 (the SDK sends `"http"` when absent). */
  protocol?: string | null;
}

/** A GPU type endpoints accept, as the package's `GPU_TYPES` lists it. */
export interface GpuType {
  /** The code `resources[].gpuType` takes, e.g. `NVIDIA_RTX_4090_24G`. */
  code: string;
  /** The docs' display name, e.g. `RTX 4090`. */
  displayName: string;
  /** Memory per card in GB. */
  vramGb: number;
}

/** Where the next page starts: the API's `searchAfterTime` / `searchAfterOffset` tokens. */
export interface LogCursor {
  time: string;
  offset: number;
}

/** One log line. */
export interface LogLine {
  /** As sent by the API (ISO 8601, e.g. `2024-01-15T10:30:15.123Z`). */
  timestamp: string;
  log: string;
  offset: number;
}

/** One page of log lines. */
export interface LogPage {
  logs: LogLine[];
  hasMore: boolean;
  /** Pass as `after` to `workerLogsPage` to get the following page (in the same direction). */
  next: LogCursor | null;
}

/** What to read from a worker's log.
 * 
 * @example
 * const page = await client.workerLogsPage(id, workerId, { keyword: 'error', pageSize: 500, direction: 'Backward' }); */
export interface LogQuery {
  /** Lines per page, 1 to 1000 (the API's default is 100). */
  pageSize?: number | null;
  keyword?: string | null;
  startTime?: LogTime | null;
  endTime?: LogTime | null;
  direction?: Direction;
  /** Continue after this cursor (from a previous page's `next`). */
  after?: LogCursor | null;
}

/** A time bound: epoch milliseconds or an ISO 8601 text, as the API accepts both. */
export type LogTime = number | string;

export type RegistryType = "DOCKER_HUB" | "GCR" | "ECR" | "ACR" | "PRIVATE" | (string & {});

/** Where workers may run: a region, a GPU type, and GPUs per worker. */
export interface Resource {
  region: string;
  gpuType: string;
  /** GPUs per worker; every resource of an endpoint must use the same count. */
  gpuCount: number;
}

/** GPU resources of an endpoint, as the API reports them. */
export interface ResourceInfo {
  region: string;
  regionDisplayName: string | null;
  gpuType: string;
  gpuDisplayName: string | null;
  gpuCount: number;
  singleCardVramInGb: number | null;
  singleCardVcpu: number | null;
  singleCardRamInGb: number | null;
}

export type ServiceMode = "ALB" | "QUEUE" | "CUSTOM" | (string & {});

/** A task: its input, its state, its output once done. */
export interface Task<J = JsonValue> {
  taskId: TaskId;
  endpointId: EndpointId | null;
  endpointName: string | null;
  status: TaskStatus;
  workerUrl: string | null;
  webhook: string | null;
  deliveryStatus: DeliveryStatus | null;
  deliveryAttempts: number | null;
  /** Why the task failed. */
  error: string | null;
  /** Present in single-task reads, not in lists. */
  input: J;
  output: J;
  headers: Record<string, string> | null;
  /** Epoch milliseconds. */
  createdAt: number | null;
  updatedAt: number | null;
  deliveredAt: number | null;
}

/** Task counters of an endpoint (today the API reports only the processing count). */
export interface TaskCount {
  processing: number;
}

/** An id, always as a string (exact beyond 2^53). */
export type TaskId = string;

/** Which tasks to list. */
export interface TaskListQuery {
  status?: TaskStatus | null;
  /** 1-based (default 1). */
  pageNumber?: number | null;
  /** Default 10. */
  pageSize?: number | null;
}

/** A checked task notification, in the SDK's vocabulary. */
export interface TaskNotification<J = JsonValue> {
  /** The task id you submitted (the body's `user_task_id`). */
  taskId: TaskId;
  /** The platform's own numeric id of the task (the body's `task_id`), as exact text. */
  platformTaskId: string;
  endpointId: EndpointId;
  /** True for `"Success"`, false for `"Failed"` (the body's `status` and `success` agree). */
  success: boolean;
  timestamp: string;
  /** Which delivery attempt this is (1 for the first). */
  retryCount: number;
  /** The task's output. */
  result: J;
  failedReason: string | null;
}

/** One page of tasks. */
export interface TaskPage<J = JsonValue> {
  items: Task<J>[];
  /** 1-based page number. */
  page: number;
  size: number;
  total: number;
  pages: number;
}

/** A task to submit.
 * 
 * Without a `taskId` the SDK generates one, so that retrying a submission after a lost response cannot queue the task twice.
 * 
 * @example
 * const taskId = await client.submitTask(id, {
 *   input: { prompt: 'Hello' },
 *   workerPort: 8000,
 *   processUri: '/v1/chat/completions',
 *   taskId: 'my_task_001',
 *   headers: { Authorization: 'Bearer token123' },
 * }); */
export interface TaskSpec {
  taskId?: TaskId | null;
  /** Any JSON. */
  input: ExactJsonValue;
  workerPort: number;
  processUri: string;
  webhook?: string | null;
  /** Sent to the webhook with the result (check it there with `verifyTaskNotification`); never logged. */
  webhookAuthKey?: string | null;
  /** Headers forwarded to the worker with the task. */
  headers?: Record<string, string>;
}

export type TaskStatus = "PROCESSING" | "DELIVERED" | "SUCCESS" | "FAILED" | (string & {});

/** How a wait polls (the callback and signal are passed beside these). */
export interface WaitOptions {
  /** Give up after this many milliseconds (default 600000). */
  timeoutMs?: number | null;
  /** First pause between polls in milliseconds (default 1000; grows to 10000). */
  intervalMs?: number | null;
}

/** One worker of an endpoint. */
export interface Worker {
  id: WorkerId;
  status: WorkerStatus;
  region: string | null;
  regionDisplayName: string | null;
  gpuType: string | null;
  gpuDisplayName: string | null;
  gpuCount: number | null;
  singleCardVramInGb: number | null;
  singleCardVcpu: number | null;
  singleCardRamInGb: number | null;
  /** Time since start, in milliseconds. */
  uptime: number | null;
  /** Cost so far. */
  cost: Amount | null;
}

/** An id, always as a string (exact beyond 2^53). */
export type WorkerId = string;

export type WorkerStatus = "INITIALIZE" | "RUNNING" | "TERMINATING" | "TERMINATED" | "FAILED" | (string & {});
