// The package's entry module: `YottaClient` and friends over the wasm core (crates/yotta-wasm).
//
// Each method checks its arguments' JavaScript shape (ids, the signal), writes its data
// arguments as one JSON array and hands it to the core's single `call`; the core validates them
// against the SDK's types, runs the call (retries, business codes, waiters) and answers JSON.

import initWasm, {
  Core, CoreStream, parseTaskNotification as parseNotification, verifyTaskNotification as verifyNotification,
} from './yotta_wasm.js';
import type { InitInput } from './yotta_wasm.js';
import { fromCore } from './error.js';
import { fromJson, idArgument, invalid, toJson } from './json.js';
import type {
  ClientOptions, Endpoint, EndpointSpec, EndpointStatus, EndpointUpdate, LogLine, LogPage, LogQuery, Task,
  TaskCount, TaskListQuery, TaskNotification, TaskPage, TaskSpec, TaskStatus, WaitOptions, Worker, WorkerStatus,
} from './types.js';

export { YottaError } from './error.js';
export type { YottaErrorDetails } from './error.js';
export type { JsonValue } from './json.js';
export type * from './types.js';
export type { InitInput };

/** Options every method accepts. */
export interface CallOptions {
  /** Aborting rejects the call with a YottaError of kind 'aborted' and cancels its request. */
  signal?: AbortSignal;
}

/** A status filter: one status or several. */
export interface StatusFilter<S> {
  status?: S | S[];
}

let loading: Promise<void> | undefined;

/**
 * Loads the WebAssembly module; call (and await) once before using the SDK. Repeated calls
 * share the first load. Without `input`, browsers and bundlers fetch the .wasm file next to
 * this module, and Node reads it from disk.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void> {
  loading ??= load(input).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(input?: InitInput | Promise<InitInput>): Promise<void> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (input === undefined && node) {
    // Node's fetch cannot read file: URLs. The specifier is in a variable so bundlers
    // targeting browsers leave it alone.
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fs)) as { readFile: (url: URL) => Promise<Uint8Array> };
    input = await readFile(new URL('./yotta_wasm_bg.wasm', import.meta.url)) as InitInput;
  }
  await initWasm(input === undefined ? undefined : { module_or_path: input });
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

/** A client of the Yotta Labs Serverless API. Every method is async and accepts `{ signal }`. */
export class YottaClient {
  readonly #core: Core;

  constructor(options?: ClientOptions) {
    try {
      const data = { ...dataOf(options) } as ClientOptions;
      // In a page, leave out the key and talk to a same-origin proxy that adds it.
      const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
      if (data.baseUrl == null && data.apiKey == null && typeof origin === 'string' && origin.startsWith('http')) {
        data.baseUrl = origin;
      }
      this.#core = new Core(argumentsJson([data], ['options']), undefined);
    } catch (error) {
      throw fromCore(error, 'YottaClient');
    }
  }

  /** The API version this client speaks (`"v1"` or `"v2"`). */
  get apiVersion(): 'v1' | 'v2' {
    return this.#core.apiVersion as 'v1' | 'v2';
  }

  get baseUrl(): string {
    return this.#core.baseUrl;
  }

  /** Runs `method` in the core: `args` builds its data arguments (and may throw a validation error). */
  async #call<T>(
    method: string,
    options: CallOptions | undefined,
    names: string[],
    args: () => unknown[],
    onProgress?: (value: never) => void,
  ): Promise<T> {
    try {
      const signal = signalOf(options);
      const json = argumentsJson(args(), names);
      const progress = onProgress && ((text: string) => onProgress(fromJson(text) as never));
      const text = await this.#core.call(method, json, signal, progress);
      return (text === 'null' ? undefined : fromJson(text)) as T;
    } catch (error) {
      throw fromCore(error, method);
    }
  }

  #iterate<T>(method: string, options: CallOptions | undefined, names: string[], args: unknown[]): YottaIterator<T> {
    try {
      const signal = signalOf(options);
      return new YottaIterator<T>(this.#core.stream(method, argumentsJson(args, names)), method, signal);
    } catch (error) {
      throw fromCore(error, method);
    }
  }

  listEndpoints(options?: StatusFilter<EndpointStatus> & CallOptions): Promise<Endpoint[]> {
    return this.#call('listEndpoints', options, ['options'], () => [dataOf(options)]);
  }

  getEndpoint(id: string, options?: CallOptions): Promise<Endpoint> {
    return this.#call('getEndpoint', options, ['id'], () => [idArgument(id, 'id')]);
  }

  createEndpoint(spec: EndpointSpec, options?: CallOptions): Promise<Endpoint> {
    return this.#call('createEndpoint', options, ['spec'], () => [spec]);
  }

  updateEndpoint(id: string, update: EndpointUpdate, options?: CallOptions): Promise<Endpoint> {
    return this.#call('updateEndpoint', options, ['id', 'update'], () => [idArgument(id, 'id'), update]);
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
   * enters FAILED first, or (kind `timeout`) at the deadline.
   */
  waitForStatus(
    id: string,
    status: EndpointStatus,
    options?: WaitOptions & { onProgress?: (endpoint: Endpoint) => void } & CallOptions,
  ): Promise<Endpoint> {
    return this.#call('waitForStatus', options, ['id', 'status', 'options'],
      () => [idArgument(id, 'id'), status, dataOf(options, 'onProgress')], progressOf(options));
  }

  listWorkers(id: string, options?: StatusFilter<WorkerStatus> & CallOptions): Promise<Worker[]> {
    return this.#call('listWorkers', options, ['id', 'options'], () => [idArgument(id, 'id'), dataOf(options)]);
  }

  /** One page of a worker's log; pass the page's `next` as `after` for the following one. */
  workerLogsPage(id: string, worker: string, options?: LogQuery & CallOptions): Promise<LogPage> {
    return this.#call('workerLogsPage', options, ['id', 'workerId', 'options'],
      () => [idArgument(id, 'id'), idArgument(worker, 'workerId'), dataOf(options)]);
  }

  /**
   * Every matching line, fetched page by page as you iterate (`for await`). With
   * `follow: true` it keeps polling for new lines until you `break` or the signal aborts.
   */
  workerLogs(
    id: string,
    worker: string,
    options?: LogQuery & { follow?: boolean; followIntervalMs?: number } & CallOptions,
  ): YottaIterator<LogLine> {
    try {
      const query = dataOf(options, 'follow', 'followIntervalMs');
      const follow = { follow: options?.follow, followIntervalMs: options?.followIntervalMs };
      return this.#iterate('workerLogs', options, ['id', 'workerId', 'options', 'options'],
        [idArgument(id, 'id'), idArgument(worker, 'workerId'), query, follow]);
    } catch (error) {
      throw fromCore(error, 'workerLogs');
    }
  }

  /**
   * Queues a task on a QUEUE-mode endpoint; resolves with its task id (generated when the
   * task has none, so a retried submission cannot queue it twice).
   */
  submitTask(id: string, task: TaskSpec, options?: CallOptions): Promise<string> {
    return this.#call('submitTask', options, ['id', 'task'], () => [idArgument(id, 'id'), task]);
  }

  getTask(id: string, task: string, options?: CallOptions): Promise<Task> {
    return this.#call('getTask', options, ['id', 'taskId'], () => [idArgument(id, 'id'), idArgument(task, 'taskId')]);
  }

  listTasks(id: string, options?: TaskListQuery & CallOptions): Promise<TaskPage> {
    return this.#call('listTasks', options, ['id', 'options'], () => [idArgument(id, 'id'), dataOf(options)]);
  }

  /** Every task (optionally of one status), fetched page by page as you iterate. */
  tasks(id: string, options?: { status?: TaskStatus } & CallOptions): YottaIterator<Task> {
    try {
      return this.#iterate('tasks', options, ['id', 'options'], [idArgument(id, 'id'), dataOf(options)]);
    } catch (error) {
      throw fromCore(error, 'tasks');
    }
  }

  taskCount(id: string, options?: CallOptions): Promise<TaskCount> {
    return this.#call('taskCount', options, ['id'], () => [idArgument(id, 'id')]);
  }

  /** Resolves with the task once it is SUCCESS, FAILED or DELIVERED. */
  waitForTask(
    id: string,
    task: string,
    options?: WaitOptions & { onProgress?: (task: Task) => void } & CallOptions,
  ): Promise<Task> {
    return this.#call('waitForTask', options, ['id', 'taskId', 'options'],
      () => [idArgument(id, 'id'), idArgument(task, 'taskId'), dataOf(options, 'onProgress')], progressOf(options));
  }
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
  readonly #stream: CoreStream;
  readonly #operation: string;
  readonly #signal: AbortSignal | undefined;

  /** @internal Made by `workerLogs()` and `tasks()`. */
  constructor(stream: CoreStream, operation: string, signal?: AbortSignal) {
    this.#stream = stream;
    this.#operation = operation;
    this.#signal = signal;
  }

  /** The next item. After an error or the end, always `{ done: true }`. */
  async next(): Promise<IteratorResult<T, undefined>> {
    try {
      const text = await this.#stream.next(this.#signal);
      return text === undefined ? { value: undefined, done: true } : { value: fromJson(text) as T, done: false };
    } catch (error) {
      throw fromCore(error, this.#operation);
    }
  }

  /** Stops the iteration early (what `break` in `for await` calls): nothing more is fetched. */
  async return(): Promise<IteratorResult<T, undefined>> {
    await this.#stream.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Checks and normalises the body of a task webhook notification (a JSON string or an already
 * parsed object). Throws a `YottaError` of kind `validation` naming the offending field.
 */
export function parseTaskNotification(body: string | object): TaskNotification {
  try {
    const text = typeof body === 'string' ? body : toJson(body, 'body');
    return fromJson(parseNotification(text)) as TaskNotification;
  } catch (error) {
    throw fromCore(error, 'parseTaskNotification');
  }
}

/** How `verifyTaskNotification` checks a webhook request. */
export interface VerifyOptions {
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
 * `configuration` for an empty `expectedKey`).
 *
 * ```js
 * const note = verifyTaskNotification(await request.text(), request.headers.get('authorization'),
 *   { expectedKey: process.env.WEBHOOK_KEY, maxAgeMs: 3_600_000 });
 * ```
 */
export function verifyTaskNotification(
  body: string | object,
  authorization: string | null | undefined,
  options: VerifyOptions,
): TaskNotification {
  try {
    const text = typeof body === 'string' ? body : toJson(body, 'body');
    const key = options?.expectedKey;
    if (typeof key !== 'string') throw invalid('expectedKey', 'must be a string');
    return fromJson(verifyNotification(text, authorization ?? undefined, key, options.maxAgeMs)) as TaskNotification;
  } catch (error) {
    throw fromCore(error, 'verifyTaskNotification');
  }
}
