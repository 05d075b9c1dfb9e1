// The errors the SDK throws and rejects with: `YottaError`, and one small subclass per family of
// kinds so `instanceof` can sort them (the `kind` says exactly what happened).

import type { ErrorKind } from './types.js';

/** What a `YottaError` carries besides its message. */
export interface YottaErrorDetails {
  kind: ErrorKind;
  code?: number | null;
  httpStatus?: number | null;
  field?: string | null;
  operation?: string | null;
  advice?: string | null;
  bodyExcerpt?: string | null;
  /** The underlying error: a failed `fetch`'s `TypeError`, an `AbortSignal`'s reason. */
  cause?: unknown;
  taskId?: string;
  endpointId?: string;
  taskError?: string | null;
}

/**
 * Every error the SDK throws or rejects with.
 *
 * @example
 * try {
 *   await client.deleteEndpoint(id);
 * } catch (error) {
 *   if (error instanceof YottaError && error.kind === 'notAllowed') console.log(error.advice);
 *   else throw error;
 * }
 */
export class YottaError extends Error {
  override readonly name = 'YottaError' as const;
  /** What kind of failure this is, the same whichever API version served the call. */
  readonly kind: ErrorKind;
  /** The API's business code (e.g. 24002), or null when the failure is not an API answer. */
  readonly code: number | null;
  /** The HTTP status of the response that carried the error, if any. */
  readonly httpStatus: number | null;
  /** For kind 'validation': the input field at fault (e.g. 'resources[1].gpuCount'); for kind
   * 'configuration': the setting (e.g. 'YOTTA_API_KEY'). */
  readonly field: string | null;
  /** The SDK method that failed (e.g. 'deleteEndpoint'). */
  readonly operation: string | null;
  /** A sentence saying what to do, when the docs explain the refusal. */
  readonly advice: string | null;
  /** For kinds 'http' and 'decode': the start of the response body (at most 512 bytes). */
  readonly bodyExcerpt: string | null;

  constructor(message: string, details: YottaErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.code = details.code ?? null;
    this.httpStatus = details.httpStatus ?? null;
    this.field = details.field ?? null;
    this.operation = details.operation ?? null;
    this.advice = details.advice ?? null;
    this.bodyExcerpt = details.bodyExcerpt ?? null;
  }
}

/** The API or a server in front of it answered with a refusal or an error: kinds `notFound`,
 * `invalidParameter`, `notAllowed`, `quotaExceeded`, `insufficientGpus`, `taskNotFound`,
 * `unavailable`, `internal`, `rateLimited`, `unauthorized`, `http`, `decode` and `unknown`. */
export class YottaApiError extends YottaError {}

/** No connection, or it broke: kind `network` (`cause` is what `fetch` rejected with). */
export class YottaNetworkError extends YottaError {}

/** No answer in time, or a wait's limit passed: kind `timeout`. */
export class YottaTimeoutError extends YottaError {}

/** Refused before anything was sent: kinds `validation` and `configuration`. */
export class YottaInputError extends YottaError {}

/** The call's `AbortSignal` fired: kind `aborted` (`cause` is the signal's reason). */
export class YottaAbortError extends YottaError {}

/** A task ran and FAILED (from `run`): kind `taskFailed`. */
export class YottaTaskFailedError extends YottaError {
  /** The task that failed. */
  readonly taskId: string;
  readonly endpointId: string;
  /** The task's own error, as the worker reported it. */
  readonly taskError: string | null;

  constructor(message: string, details: YottaErrorDetails) {
    super(message, details);
    this.taskId = details.taskId ?? '';
    this.endpointId = details.endpointId ?? '';
    this.taskError = details.taskError ?? null;
  }
}

const FAMILIES: Partial<Record<ErrorKind, typeof YottaError>> = {
  network: YottaNetworkError,
  timeout: YottaTimeoutError,
  validation: YottaInputError,
  configuration: YottaInputError,
  aborted: YottaAbortError,
  taskFailed: YottaTaskFailedError,
};

/** @internal A `YottaError` of the subclass its kind belongs to. */
export function yottaError(message: string, details: YottaErrorDetails): YottaError {
  return new (FAMILIES[details.kind] ?? YottaApiError)(message, details);
}

/** @internal
 * A rejection from the wasm core as a `YottaError`: the core sends an error's fields as JSON
 * text, or `[text, cause]` when a JavaScript error caused it. An aborted call's cause is its
 * signal's reason. Anything else (a `YottaError` raised in JavaScript, a trap) passes through,
 * with the method named where it names none.
 */
export function fromCore(error: unknown, operation: string, signal?: AbortSignal): unknown {
  const [text, cause] = Array.isArray(error) ? error : [error];
  if (typeof text === 'string' && text.startsWith('{')) {
    const { message, ...details } = JSON.parse(text) as YottaErrorDetails & { message: string };
    const reason = details.kind === 'aborted' ? signal?.reason : cause;
    return yottaError(message, reason === undefined ? details : { ...details, cause: reason });
  }
  if (error instanceof YottaError && error.operation === null) {
    (error as { operation: string | null }).operation = operation;
  }
  return error;
}
