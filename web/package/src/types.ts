// @generated from the Rust types by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).
// Do not edit by hand: change the Rust types, then run the tests, which rewrite this file.
import type { JsonValue } from './json.js';

/** US dollars. */
export type Amount = number;

export type ApiVersionName = "v1" | "v2";

/** Options of `new YottaClient(options)`. */
export interface ClientOptions {
  /** Default: the page's origin when no `apiKey` is given (a same-origin proxy adds the key),
   * else `https://api.yottalabs.ai`. */
  baseUrl?: string | null;
  /** Sent as `X-API-Key`. Leave it out in browsers and use a proxy that adds it server-side. */
  apiKey?: string | null;
  /** Default `"v2"`. */
  apiVersion?: ApiVersionName | null;
  /** Per-attempt time limit in milliseconds (default 30000). */
  timeoutMs?: number | null;
  /** Retries after transient failures (default 2). */
  maxRetries?: number | null;
}

/** An id, always as a string (exact beyond 2^53). */
export type CredentialId = string;

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

/** Everything needed to create an endpoint.
 * 
 * Field names follow the docs; the guides' other spellings are accepted when deserialising
 * (`envVars`, `webhookUrl`, `containerRegistryAuthId`), and the SDK sends each version's own
 * spelling.
 * 
 * ```
 * use yotta::{EndpointSpec, ServiceMode};
 * let spec = EndpointSpec::new("llama-inference", "vllm/vllm-openai:latest", ServiceMode::Queue)
 *     .resource("us-east-1", "NVIDIA_RTX_4090_24G", 1)
 *     .workers(2)
 *     .container_volume_in_gb(120)
 *     .env("MODEL", "llama-3-8b");
 * assert_eq!(spec.resources.len(), 1);
 * ``` */
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

/** A new configuration for an existing endpoint. Both versions replace the whole
 * configuration, so start from the current one: `EndpointUpdate::from(&endpoint)`.
 * v1 accepts updates only while the endpoint is STOPPED.
 * 
 * The API reports live workers (`totalWorkers`), not the configured count: converting a
 * stopped endpoint, which has none, gives `workers: 1`; set the count you want explicitly. */
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
  /** Pass as [`LogQuery::after`] to get the following page (in the same direction). */
  next: LogCursor | null;
}

/** What to read from a worker's log.
 * 
 * ```
 * use yotta::{Direction, LogQuery};
 * let query = LogQuery::default().keyword("error").page_size(500).direction(Direction::Backward);
 * assert_eq!(query.page_size, Some(500));
 * ``` */
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
export interface Task {
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
  input: JsonValue;
  output: JsonValue;
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

/** A checked task notification, in the SDK's vocabulary (camelCase when serialised). */
export interface TaskNotification {
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
  result: JsonValue;
  failedReason: string | null;
}

/** One page of tasks. */
export interface TaskPage {
  items: Task[];
  /** 1-based page number. */
  page: number;
  size: number;
  total: number;
  pages: number;
}

/** A task to submit.
 * 
 * Without a `task_id` the SDK generates one, so that retrying a submission after a lost
 * response cannot queue the task twice (the API deduplicates by task id).
 * 
 * ```
 * use yotta::TaskSpec;
 * let task = TaskSpec::new(serde_json::json!({"prompt": "Hello"}), 8000, "/v1/chat/completions")
 *     .task_id("my_task_001")
 *     .header("Authorization", "Bearer token123");
 * assert_eq!(task.worker_port, 8000);
 * ``` */
export interface TaskSpec {
  taskId?: TaskId | null;
  /** Any JSON. */
  input: JsonValue;
  workerPort: number;
  processUri: string;
  webhook?: string | null;
  /** Sent to the webhook with the result; never shown in `Debug` output. */
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
