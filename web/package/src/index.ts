// The package's entry module: `YottaClient` and friends over the wasm core (crates/yotta-wasm).
//
// Each method checks its arguments' JavaScript shape (ids, the signal), writes its data
// arguments as one JSON array and hands it to the core's single `call`; the core validates them
// against the SDK's types, runs the call (retries, business codes, waiters) and answers JSON.
// The WebAssembly module is loaded by the first call that needs it (or by `init()`).

import initWasm, {
  Core, CoreStream, parseTaskNotification as parseNotification, verifyTaskNotification as verifyNotification,
} from './yotta_wasm.js';
import { LEVELS, attemptLogger, env, isBrowser, logLevel, misconfigured, pageOrigin } from './config.js';
import type { LogLevel, Logger } from './config.js';
import { fromCore, yottaError } from './error.js';
import { fromJson, idArgument, invalid, toJson } from './json.js';
import type { ExactJsonValue, JsonValue } from './json.js';
import { CLIENT_OPTIONS, ENDPOINT_READ_ONLY, RESOURCE_READ_ONLY } from './tables.js';
import type {
  ClientOptions, Credential, CredentialSpec, CredentialUpdate, Endpoint, EndpointPatch, EndpointSpec, EndpointStatus, EndpointUpdate, LogLine,
  LogPage, LogQuery, Resource, Task, TaskCount, TaskListQuery, TaskNotification, TaskPage, TaskSpec, TaskStatus,
  WaitOptions, Worker, WorkerStatus,
} from './types.js';

export {
  YottaError, YottaApiError, YottaNetworkError, YottaTimeoutError, YottaInputError, YottaAbortError,
  YottaTaskFailedError,
} from './error.js';
export type { YottaErrorDetails } from './error.js';
export type { ExactJsonValue, JsonValue } from './json.js';
export type { LogLevel, Logger } from './config.js';
export type * from './types.js';
export { GPU_TYPES, REGISTRY_TYPES } from './tables.js';

/** What `init` loads the WebAssembly module from. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Task data as a client returns it: exact `bigint`s for clients created with `{ bigint: true }`. */
type Json<Exact extends boolean> = Exact extends true ? ExactJsonValue : JsonValue;

/** Options of `new YottaClient(options)`: the data options, and these JavaScript ones. */
export interface YottaClientOptions<Exact extends boolean = false> extends ClientOptions {
  /** Sends every request (default: the global `fetch`, looked up at each request). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * `'warn'` (the default; `YOTTA_LOG` in Node, Bun and Deno) logs retried attempts and calls
   * that failed without an answer; `'info'` one line per HTTP attempt (method, path, status,
   * attempt, duration, retry delay); `'debug'` also each method's start and end. Never the key.
   */
  logLevel?: LogLevel;
  /** Where the lines go (default `console`). */
  logger?: Logger;
  /**
   * In a browser, an `apiKey` is refused unless this is true, since whoever can open the page
   * can read the key. Serve the API on the page's origin instead (`createProxyHandler` of
   * `yotta-serverless/proxy`).
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Task data (`input`, `output`, a notification's `result`) with integers beyond 2^53 as exact
   * `bigint`s; otherwise such integers lose digits, as with `JSON.parse`. Ids are exact strings
   * either way.
   */
  bigint?: Exact;
}

/** What every method's last argument may hold besides its own options. */
export interface CallOptions {
  /** Cancels the call: it rejects with kind `aborted` (its `cause` is the signal's reason). */
  signal?: AbortSignal | null;
  /** The most this call may take in milliseconds, retries and their pauses included (kind
   * `timeout` after it). In `waitForStatus`, `waitForTask` and `run`: the wait's limit. */
  timeoutMs?: number | null;
  /** Retries after transient failures, instead of the client's `maxRetries`. */
  maxRetries?: number | null;
  /** Sent with this call's requests, after the client's `defaultHeaders`. */
  headers?: Record<string, string> | null;
}

/** A status filter: one status or several. */
export interface StatusFilter<S> {
  status?: S | S[];
}

/** Options of a wait: its limit, its first poll interval, and a callback with each state seen. */
export type WaitCallOptions<T> = WaitOptions & { onProgress?: (value: T) => void } & CallOptions;

/** A fetched endpoint with changes, for `updateEndpoint`: its read-only fields are ignored. */
export type EndpointWithChanges = Omit<Endpoint, 'resources'> & { resources: Resource[]; workers: number };

let loading: Promise<void> | undefined;
let loaded = false;

/**
 * Loads the WebAssembly module. Optional: the first call that needs it loads it; await it to
 * choose where the module comes from or to learn early that it cannot load. Repeated calls
 * share the first load. Without `input`, browsers and bundlers fetch the .wasm file next to this
 * module, and Node, Bun and Deno read it from disk; pass a URL, the bytes, or a compiled
 * `WebAssembly.Module` (what Cloudflare Workers hand you for an imported .wasm file).
 *
 * @example
 * // Cloudflare Workers
 * import wasm from 'yotta-serverless/yotta_wasm_bg.wasm';
 * import init, { YottaClient } from 'yotta-serverless';
 * await init(wasm);
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void> {
  loading ??= load(input).catch((error: unknown) => {
    loading = undefined;
    throw yottaError(`the WebAssembly module could not be loaded (${String(error)}): pass it to init(), e.g. `
      + `init(module) with the imported .wasm file on Cloudflare Workers`, { kind: 'configuration', field: 'init', cause: error });
  });
  return loading;
}

async function load(input?: InitInput | Promise<InitInput>): Promise<void> {
  let source = await input;
  const local = source === undefined ? new URL('./yotta_wasm_bg.wasm', import.meta.url) : source;
  if (local instanceof URL && local.protocol === 'file:') {
    // Node's fetch cannot read file: URLs (Bun's and Deno's can, without the wasm MIME type).
    // process.getBuiltinModule (Node 20.16+, Bun, Deno), not an import, which bundlers would
    // try to resolve for browsers.
    type Fs = { readFile: (url: URL) => Promise<Uint8Array<ArrayBuffer>> };
    const process = (globalThis as { process?: { getBuiltinModule?: (name: string) => Fs } }).process;
    const fs = process?.getBuiltinModule?.('node:fs/promises');
    if (!fs) throw new Error(`this runtime cannot read ${local.href}: pass the module's bytes to init()`);
    source = await fs.readFile(local);
  }
  await initWasm(source === undefined ? undefined : { module_or_path: source });
  loaded = true;
}

/** The data arguments of a call as the JSON array the core reads. */
function argumentsJson(values: unknown[], names: string[]): string {
  return `[${values.map((value, i) => toJson(value, names[i])).join(',')}]`;
}

/** The `signal` of an options object, checked to be an `AbortSignal`. */
function signalOf(options: CallOptions | undefined): AbortSignal | undefined {
  const signal = options?.signal;
  if (signal === undefined || signal === null) return undefined;
  const looksLikeOne = typeof signal === 'object' && typeof signal.aborted === 'boolean'
    && typeof signal.addEventListener === 'function';
  if (!looksLikeOne) throw invalid('signal', 'must be an AbortSignal');
  return signal;
}

/** The members of `CallOptions` that are a call's own settings (in waits `timeoutMs` is the wait's). */
const SETTINGS = ['timeoutMs', 'maxRetries', 'headers'];

/** A call's own settings as the core takes them: timeout, retries, headers as name, value, ... */
type Settings = [number | undefined, number | undefined, string[]];

function settingsOf(options: CallOptions | undefined, wait: boolean): Settings {
  const whole = (name: string, value: unknown) => {
    if (value === undefined || value === null) return undefined;
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) {
      throw invalid(name, 'must be a whole number from 0 to 4294967295');
    }
    return value as number;
  };
  const headers: string[] = [];
  for (const [name, value] of Object.entries(options?.headers ?? {})) {
    if (typeof value !== 'string') throw invalid(`headers.${name}`, 'must be a string');
    headers.push(name, value);
  }
  return [wait ? undefined : whole('timeoutMs', options?.timeoutMs), whole('maxRetries', options?.maxRetries), headers];
}

/** An options object without its non-data members, which the core need not see. */
function dataOf<T extends object>(options: T | undefined, ...skip: string[]): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw invalid('options', 'must be an object');
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'signal' && !skip.includes(key)) data[key] = value;
  }
  return data as Partial<T>;
}

/** A wait's data options: all but the callback and the call settings (its `timeoutMs` stays). */
const waitData = <T extends object>(options: T | undefined) => dataOf(options, 'onProgress', 'maxRetries', 'headers');

/** The JavaScript-only options of `new YottaClient()`. */
const JS_OPTIONS = ['fetch', 'logLevel', 'logger', 'dangerouslyAllowBrowser', 'bigint'];

/**
 * A client of the Yotta Labs Serverless API. Every method is async and takes, last, an options
 * object with `signal`, `timeoutMs`, `maxRetries` and `headers` for that call.
 *
 * In Node, Bun and Deno, `apiKey`, `baseUrl` and `apiVersion` default to `YOTTA_API_KEY`,
 * `YOTTA_BASE_URL` and `YOTTA_API_VERSION`. In a browser, leave the key out: the client then
 * calls the page's own origin, where a proxy adds the key (`createProxyHandler`).
 *
 * @example
 * import { YottaClient } from 'yotta-serverless';
 * const client = new YottaClient(); // YOTTA_API_KEY from the environment
 * const output = await client.run(endpointId, { input: { prompt: 'Hi' }, workerPort: 8000, processUri: '/run' });
 */
export class YottaClient<Exact extends boolean = false> {
  #core: Core | undefined;
  readonly #options: string;
  readonly #fetch: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
  readonly #observer: ((line: string, kind: string | undefined, retrying: boolean) => void) | undefined;
  readonly #logger: Logger | undefined;
  readonly #exact: boolean;
  /** Settings read from the environment: their names, for the errors about them. */
  readonly #fromEnv: Record<string, string> = {};
  readonly #apiVersion: 'v1' | 'v2';
  readonly #baseUrl: string;

  /**
   * Throws a `YottaError` of kind `configuration` when there is no key anywhere and no
   * `baseUrl` (naming `YOTTA_API_KEY`), or when a browser page passes an `apiKey` without
   * `dangerouslyAllowBrowser`; of kind `validation` for a bad option (checked further once the
   * WebAssembly module is loaded: right here after `init()`, else at the first call).
   */
  constructor(options?: YottaClientOptions<Exact>) {
    try {
      const given = { ...dataOf(options) } as YottaClientOptions<Exact> & Record<string, unknown>;
      for (const key of Object.keys(given)) {
        if (!CLIENT_OPTIONS.includes(key) && !JS_OPTIONS.includes(key)) {
          throw invalid(key, `is not a known option (expected one of ${[...CLIENT_OPTIONS, ...JS_OPTIONS].join(', ')})`);
        }
      }
      const { fetch, logger = console, logLevel: level0, dangerouslyAllowBrowser, bigint, ...data } = given;
      const browser = isBrowser();
      const fromEnv = (option: 'apiKey' | 'baseUrl' | 'apiVersion', variable: string) => {
        const value = env(variable);
        if (data[option] == null && value !== undefined) {
          (data as Record<string, unknown>)[option] = value;
          this.#fromEnv[option] = variable;
        }
      };
      fromEnv('apiKey', 'YOTTA_API_KEY');
      fromEnv('baseUrl', 'YOTTA_BASE_URL');
      fromEnv('apiVersion', 'YOTTA_API_VERSION');
      if (this.#fromEnv.apiVersion) data.apiVersion = String(data.apiVersion).trim().toLowerCase() as 'v1';
      if (browser && data.apiKey != null && dangerouslyAllowBrowser !== true) {
        throw misconfigured('apiKey', 'an API key in a browser can be read by anyone who opens the page: leave it out '
          + 'and serve the API on the page\'s origin through a proxy that adds the key (createProxyHandler, or '
          + '`yotta-sim --upstream` in development), or pass dangerouslyAllowBrowser: true for a page only you use');
      }
      const origin = pageOrigin();
      if (typeof data.baseUrl === 'string' && data.baseUrl.startsWith('/') && origin) data.baseUrl = origin + data.baseUrl;
      // Without a key, only an explicit baseUrl (a proxy that adds the key) will do: YOTTA_BASE_URL
      // alone may well be the production API, which would answer 401 at the first call.
      if (given.baseUrl == null && data.apiKey == null) {
        // In a page, talk to a same-origin proxy that adds the key.
        if (!origin) {
          throw misconfigured('YOTTA_API_KEY', 'no API key: set the YOTTA_API_KEY environment variable or pass '
            + '{ apiKey }; to call a proxy that adds the key, pass { baseUrl }');
        }
        data.baseUrl = origin;
      }
      const level = level0 ?? env('YOTTA_LOG') ?? 'warn';
      if (logLevel(level) === undefined) {
        const rule = `must be one of ${LEVELS.join(', ')} (got ${JSON.stringify(level)})`;
        throw level0 === undefined ? misconfigured('YOTTA_LOG', rule) : invalid('logLevel', rule);
      }
      for (const method of ['error', 'warn', 'info', 'debug'] as const) {
        if (typeof logger?.[method] !== 'function') {
          throw invalid(`logger.${method}`, 'must be a function (a console-like logger has debug, info, warn and error)');
        }
      }
      if (fetch !== undefined && typeof fetch !== 'function') throw invalid('fetch', 'must be a function');
      for (const [name, value] of [['dangerouslyAllowBrowser', dangerouslyAllowBrowser], ['bigint', bigint]] as const) {
        if (value !== undefined && typeof value !== 'boolean') throw invalid(name, 'must be true or false');
      }
      this.#options = argumentsJson([data], ['options']);
      this.#fetch = fetch;
      this.#observer = attemptLogger(level as LogLevel, logger, data.apiKey ?? undefined);
      this.#logger = level === 'debug' ? logger : undefined;
      this.#exact = bigint === true;
      this.#apiVersion = data.apiVersion === 'v1' ? 'v1' : 'v2';
      this.#baseUrl = (data.baseUrl ?? 'https://api.yottalabs.ai').trim().replace(/\/+$/, '');
      if (loaded) this.#core = this.#create();
    } catch (error) {
      throw fromCore(error, 'YottaClient');
    }
  }

  /** The core, built from the checked options; errors about settings read from the environment name the variable. */
  #create(): Core {
    try {
      return new Core(this.#options, this.#fetch, this.#observer);
    } catch (error) {
      const failure = fromCore(error, 'YottaClient');
      const variable = failure instanceof Error && this.#fromEnv[(failure as { field?: string }).field ?? ''];
      if (!variable) throw failure;
      throw yottaError(failure.message.replace(/^invalid \w+/, `invalid ${variable}`), {
        kind: 'configuration', field: variable, operation: 'YottaClient',
      });
    }
  }

  /** The core, once the WebAssembly module is loaded. */
  async #ready(): Promise<Core> {
    await init();
    return (this.#core ??= this.#create());
  }

  /** The API version this client speaks (`"v1"` or `"v2"`). */
  get apiVersion(): 'v1' | 'v2' {
    return this.#apiVersion;
  }

  /** Where requests go. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Text from the core as values (with exact `bigint`s when the client opted in). */
  #parse = (text: string): unknown => fromJson(text, this.#exact);

  /** Runs `method` in the core: `args` builds its data arguments (and may throw a validation error). */
  async #call<T>(
    method: string,
    options: CallOptions | undefined,
    names: string[],
    args: () => unknown[],
    wait = false,
    onProgress?: (value: never) => void,
  ): Promise<T> {
    const started = Date.now();
    this.#logger?.debug(`yotta: ${method} started`);
    let signal: AbortSignal | undefined;
    try {
      signal = signalOf(options);
      const json = argumentsJson(args(), names);
      const settings = settingsOf(options, wait);
      const progress = onProgress && ((text: string) => onProgress(this.#parse(text) as never));
      const core = await this.#ready();
      const text = await core.call(method, json, ...settings, signal, progress);
      this.#logger?.debug(`yotta: ${method} resolved in ${Date.now() - started} ms`);
      return (text === '' ? undefined : this.#parse(text)) as T;
    } catch (error) {
      const failure = fromCore(error, method, signal);
      this.#logger?.debug(`yotta: ${method} rejected in ${Date.now() - started} ms: ${String(failure)}`);
      throw failure;
    }
  }

  #iterate<T>(method: string, options: CallOptions | undefined, names: string[], args: () => unknown[]): YottaIterator<T> {
    try {
      const signal = signalOf(options);
      const json = argumentsJson(args(), names);
      const settings = settingsOf(options, false);
      return new YottaIterator<T>(async () => (await this.#ready()).stream(method, json, ...settings), method, this.#parse, signal);
    } catch (error) {
      throw fromCore(error, method);
    }
  }

  listEndpoints(options?: StatusFilter<EndpointStatus> & CallOptions): Promise<Endpoint[]> {
    return this.#call('listEndpoints', options, ['options'], () => [dataOf(options, ...SETTINGS)]);
  }

  getEndpoint(id: string, options?: CallOptions): Promise<Endpoint> {
    return this.#call('getEndpoint', options, ['id'], () => [idArgument(id, 'id')]);
  }

  createEndpoint(spec: EndpointSpec, options?: CallOptions): Promise<Endpoint> {
    return this.#call('createEndpoint', options, ['spec'], () => [spec]);
  }

  /**
   * Replaces an endpoint's configuration (v1: only while it is STOPPED). A fetched endpoint may
   * be spread into `update`: its read-only fields (`id`, `status`, display names, prices, `cost`,
   * worker counts, and `image`, `imageRegistry` and `serviceMode`, which no update can change)
   * are ignored. To change a few fields, `patchEndpoint` is simpler.
   *
   * @example
   * const endpoint = await client.getEndpoint(id);
   * await client.updateEndpoint(id, { ...endpoint, workers: 2, containerVolumeInGb: 80 });
   */
  updateEndpoint(id: string, update: EndpointUpdate | EndpointWithChanges, options?: CallOptions): Promise<Endpoint> {
    return this.#call('updateEndpoint', options, ['id', 'update'], () => [idArgument(id, 'id'), settable(update)]);
  }

  /**
   * Changes some of an endpoint's configuration: reads it, applies `changes` and sends the whole
   * configuration, as both versions' updates require (v1: only while it is STOPPED). Fields left
   * out or `null` keep their current values. When `changes` has no `workers` and the endpoint
   * reports no live workers, the count to keep is unknown and the call is refused (field
   * `workers`).
   *
   * Clearing an optional field (`webhook`, `initializationCommand`, `expose`, `credentialId`, the
   * `minSingleCard*` limits, `environmentVars`) cannot be said with a patch. What an update sends
   * for one that is absent: v1 (`POST .../{id}/update`) and v2 (`PATCH /v2/serverless/{id}`) both
   * leave it out of the JSON body (an empty `environmentVars` too). Neither version's docs say
   * whether the API then clears the setting or keeps it.
   *
   * @example
   * await client.patchEndpoint(id, { workers: 3, environmentVars: [{ key: 'MODEL', value: 'llama-3-70b' }] });
   */
  patchEndpoint(id: string, changes: EndpointPatch, options?: CallOptions): Promise<Endpoint> {
    return this.#call('patchEndpoint', options, ['id', 'changes'], () => [idArgument(id, 'id'), changes]);
  }

  startEndpoint(id: string, options?: CallOptions): Promise<void> {
    return this.#call('startEndpoint', options, ['id'], () => [idArgument(id, 'id')]);
  }

  stopEndpoint(id: string, options?: CallOptions): Promise<void> {
    return this.#call('stopEndpoint', options, ['id'], () => [idArgument(id, 'id')]);
  }

  /** Deletes a stopped endpoint (a running one is refused with kind `notAllowed`: stop it first). */
  deleteEndpoint(id: string, options?: CallOptions): Promise<void> {
    return this.#call('deleteEndpoint', options, ['id'], () => [idArgument(id, 'id')]);
  }

  scaleWorkers(id: string, count: number, options?: CallOptions): Promise<void> {
    return this.#call('scaleWorkers', options, ['id', 'count'], () => [idArgument(id, 'id'), count]);
  }

  /**
   * Resolves with the endpoint once it has `status`; rejects (kind `unavailable`) if it
   * enters FAILED first, or (kind `timeout`) after `timeoutMs` (default 10 minutes).
   *
   * @example
   * await client.waitForStatus(id, 'RUNNING', { timeoutMs: 300_000, onProgress: (e) => console.log(e.status) });
   */
  waitForStatus(id: string, status: EndpointStatus, options?: WaitCallOptions<Endpoint>): Promise<Endpoint> {
    return this.#call('waitForStatus', options, ['id', 'status', 'options'],
      () => [idArgument(id, 'id'), status, waitData(options)], true, progressOf(options));
  }

  listWorkers(id: string, options?: StatusFilter<WorkerStatus> & CallOptions): Promise<Worker[]> {
    return this.#call('listWorkers', options, ['id', 'options'], () => [idArgument(id, 'id'), dataOf(options, ...SETTINGS)]);
  }

  /** One page of a worker's log; pass the page's `next` as `after` for the following one. */
  workerLogsPage(id: string, worker: string, options?: LogQuery & CallOptions): Promise<LogPage> {
    return this.#call('workerLogsPage', options, ['id', 'workerId', 'options'],
      () => [idArgument(id, 'id'), idArgument(worker, 'workerId'), dataOf(options, ...SETTINGS)]);
  }

  /**
   * Every matching line, fetched page by page as you iterate (`for await`). With
   * `follow: true` it keeps polling for new lines until you `break` or the signal aborts.
   *
   * @example
   * for await (const line of client.workerLogs(id, workerId, { keyword: 'error' })) console.log(line.log);
   */
  workerLogs(
    id: string,
    worker: string,
    options?: LogQuery & { follow?: boolean; followIntervalMs?: number } & CallOptions,
  ): YottaIterator<LogLine> {
    return this.#iterate('workerLogs', options, ['id', 'workerId', 'options', 'options'], () => [
      idArgument(id, 'id'), idArgument(worker, 'workerId'), dataOf(options, 'follow', 'followIntervalMs', ...SETTINGS),
      { follow: options?.follow, followIntervalMs: options?.followIntervalMs },
    ]);
  }

  /**
   * Queues a task on a QUEUE-mode endpoint; resolves with its task id (generated when the
   * task has none, so a retried submission cannot queue it twice).
   */
  submitTask(id: string, task: TaskSpec, options?: CallOptions): Promise<string> {
    return this.#call('submitTask', options, ['id', 'task'], () => [idArgument(id, 'id'), task]);
  }

  getTask(id: string, task: string, options?: CallOptions): Promise<Task<Json<Exact>>> {
    return this.#call('getTask', options, ['id', 'taskId'], () => [idArgument(id, 'id'), idArgument(task, 'taskId')]);
  }

  listTasks(id: string, options?: TaskListQuery & CallOptions): Promise<TaskPage<Json<Exact>>> {
    return this.#call('listTasks', options, ['id', 'options'], () => [idArgument(id, 'id'), dataOf(options, ...SETTINGS)]);
  }

  /** Every task (optionally of one status), fetched page by page as you iterate. */
  tasks(id: string, options?: { status?: TaskStatus } & CallOptions): YottaIterator<Task<Json<Exact>>> {
    return this.#iterate('tasks', options, ['id', 'options'], () => [idArgument(id, 'id'), dataOf(options, ...SETTINGS)]);
  }

  taskCount(id: string, options?: CallOptions): Promise<TaskCount> {
    return this.#call('taskCount', options, ['id'], () => [idArgument(id, 'id')]);
  }

  /**
   * Resolves with the task once it is SUCCESS, FAILED or DELIVERED, whatever that status (a
   * FAILED task resolves too: read its `error`). Rejects (kind `timeout`) after `timeoutMs`.
   */
  waitForTask(id: string, task: string, options?: WaitCallOptions<Task<Json<Exact>>>): Promise<Task<Json<Exact>>> {
    return this.#call('waitForTask', options, ['id', 'taskId', 'options'],
      () => [idArgument(id, 'id'), idArgument(task, 'taskId'), waitData(options)], true, progressOf(options));
  }

  /**
   * Submits a task, waits until it finishes and resolves with its output (`null` when it has
   * none). A task that ends FAILED rejects with a `YottaTaskFailedError` (kind `taskFailed`)
   * carrying `taskId` and the task's `taskError`; the wait ends as `waitForTask`'s does.
   *
   * @example
   * const output = await client.run(endpointId,
   *   { input: { prompt: 'Hello' }, workerPort: 8000, processUri: '/v1/chat/completions' },
   *   { timeoutMs: 120_000, onProgress: (task) => console.log(task.status) });
   */
  run(endpointId: string, task: TaskSpec, options?: WaitCallOptions<Task<Json<Exact>>>): Promise<Json<Exact>> {
    return this.#call('run', options, ['id', 'task', 'options'],
      () => [idArgument(endpointId, 'endpointId'), task, waitData(options)], true, progressOf(options));
  }

  /** Every container registry credential of the account (secrets are never returned). */
  listCredentials(options?: CallOptions): Promise<Credential[]> {
    return this.#call('listCredentials', options, [], () => []);
  }

  getCredential(id: string, options?: CallOptions): Promise<Credential> {
    return this.#call('getCredential', options, ['id'], () => [idArgument(id, 'id')]);
  }

  /**
   * Creates a registry credential for private images; pass its `id` as an endpoint's
   * `credentialId`. The secret is `password` (v1's `token` is accepted as a spelling); `type`
   * is sent where the version has it (v2). Not retried unless the request certainly did not
   * reach the API, so it cannot create two.
   *
   * @example
   * const credential = await client.createCredential({ name: 'ghcr', type: 'PRIVATE', username: 'me', password: token });
   * await client.createEndpoint({ ...spec, credentialId: credential.id });
   */
  createCredential(spec: CredentialSpec, options?: CallOptions): Promise<Credential> {
    return this.#call('createCredential', options, ['spec'], () => [spec]);
  }

  /** Changes a credential's name, username or secret; fields left out keep their values (a v1 client's update goes to v2). */
  updateCredential(id: string, update: CredentialUpdate, options?: CallOptions): Promise<Credential> {
    return this.#call('updateCredential', options, ['id', 'update'], () => [idArgument(id, 'id'), update]);
  }

  /** Deletes a credential; one an endpoint uses is refused with kind `notAllowed`. */
  deleteCredential(id: string, options?: CallOptions): Promise<void> {
    return this.#call('deleteCredential', options, ['id'], () => [idArgument(id, 'id')]);
  }
}

/** An update without the fields of a fetched endpoint that no update sets. */
function settable(update: object): unknown {
  if (update === null || typeof update !== 'object') return update;
  const copy: Record<string, unknown> = { ...update };
  for (const key of ENDPOINT_READ_ONLY) delete copy[key];
  if (Array.isArray(copy.resources)) {
    copy.resources = copy.resources.map((resource: unknown) => {
      if (resource === null || typeof resource !== 'object') return resource;
      const plain: Record<string, unknown> = { ...resource };
      for (const key of RESOURCE_READ_ONLY) delete plain[key];
      return plain;
    });
  }
  return copy;
}

/** The `onProgress` callback of a wait's options, checked to be a function. */
function progressOf<T>(options: { onProgress?: (value: T) => void } | undefined): ((value: T) => void) | undefined {
  const callback = options?.onProgress;
  if (callback === undefined || callback === null) return undefined;
  if (typeof callback !== 'function') throw invalid('onProgress', 'must be a function');
  return callback;
}

/** An async iterator over the pages of a listing, fetched as it is consumed (`for await`). */
export class YottaIterator<T = unknown> implements AsyncIterableIterator<T> {
  readonly #open: () => Promise<CoreStream>;
  #stream: Promise<CoreStream> | undefined;
  #done = false;
  readonly #operation: string;
  readonly #parse: (text: string) => unknown;
  readonly #signal: AbortSignal | undefined;

  /** @internal Made by `workerLogs()` and `tasks()`. */
  constructor(open: () => Promise<CoreStream>, operation: string, parse: (text: string) => unknown, signal?: AbortSignal) {
    this.#open = open;
    this.#operation = operation;
    this.#parse = parse;
    this.#signal = signal;
  }

  /** The next item. After an error or the end, always `{ done: true }`. */
  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.#done) return { value: undefined, done: true };
    try {
      const stream = await (this.#stream ??= this.#open());
      const text = await stream.next(this.#signal);
      if (text !== undefined) return { value: this.#parse(text) as T, done: false };
    } catch (error) {
      this.#done = true;
      throw fromCore(error, this.#operation, this.#signal);
    }
    this.#done = true;
    return { value: undefined, done: true };
  }

  /** Stops the iteration early (what `break` in `for await` calls): nothing more is fetched. */
  async return(): Promise<IteratorResult<T, undefined>> {
    this.#done = true;
    const stream = await this.#stream?.catch(() => undefined);
    await stream?.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The module, loaded: the webhook helpers are synchronous, so they cannot load it themselves. */
function requireLoaded(operation: string): void {
  if (!loaded) {
    throw misconfigured('init', `the WebAssembly module is not loaded yet: await init() once before ${operation} `
      + '(the client\'s methods load it themselves)');
  }
}

/** Options of `parseTaskNotification`. */
export interface ParseOptions<Exact extends boolean = false> {
  /** The `result` with integers beyond 2^53 as exact `bigint`s. */
  bigint?: Exact;
}

/**
 * Checks and normalises the body of a task webhook notification (a JSON string or an already
 * parsed object). Throws a `YottaError` of kind `validation` naming the offending field. Needs
 * the WebAssembly module loaded (`await init()`).
 */
export function parseTaskNotification<Exact extends boolean = false>(
  body: string | object,
  options?: ParseOptions<Exact>,
): TaskNotification<Json<Exact>> {
  try {
    requireLoaded('parseTaskNotification');
    const text = typeof body === 'string' ? body : toJson(body, 'body');
    return fromJson(parseNotification(text), options?.bigint === true) as TaskNotification<Json<Exact>>;
  } catch (error) {
    throw fromCore(error, 'parseTaskNotification');
  }
}

/** How `verifyTaskNotification` checks a webhook request. */
export interface VerifyOptions<Exact extends boolean = false> extends ParseOptions<Exact> {
  /** The `webhookAuthKey` the task was submitted with (must not be empty). */
  expectedKey: string;
  /** Refuse notifications whose `timestamp` is further than this from now. */
  maxAgeMs?: number;
}

/**
 * Checks a task webhook request and parses its body: the `Authorization` header must carry the
 * task's `webhookAuthKey` (as the whole header or `Bearer <key>`; compared in constant time),
 * and with `maxAgeMs` the notification must be recent. The platform's docs do not say how it
 * presents the key or whether it signs bodies: see the package README. Throws a `YottaError`
 * (kind `validation` naming `authorization`, `timestamp` or the bad field; kind
 * `configuration` for an empty `expectedKey`). Needs the WebAssembly module loaded (`await init()`).
 *
 * @example
 * const note = verifyTaskNotification(await request.text(), request.headers.get('authorization'),
 *   { expectedKey: process.env.WEBHOOK_KEY, maxAgeMs: 3_600_000 });
 */
export function verifyTaskNotification<Exact extends boolean = false>(
  body: string | object,
  authorization: string | null | undefined,
  options: VerifyOptions<Exact>,
): TaskNotification<Json<Exact>> {
  try {
    requireLoaded('verifyTaskNotification');
    const text = typeof body === 'string' ? body : toJson(body, 'body');
    const key = options?.expectedKey;
    if (typeof key !== 'string') throw invalid('expectedKey', 'must be a string');
    const note = verifyNotification(text, authorization ?? undefined, key, options.maxAgeMs);
    return fromJson(note, options.bigint === true) as TaskNotification<Json<Exact>>;
  } catch (error) {
    throw fromCore(error, 'verifyTaskNotification');
  }
}
