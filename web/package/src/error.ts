// The one error class the SDK throws and rejects with.

import type { ErrorKind } from './types.js';

/** What a `YottaError` carries besides its message. */
export interface YottaErrorDetails {
  kind: ErrorKind;
  code?: number | null;
  httpStatus?: number | null;
  field?: string | null;
  operation?: string | null;
  advice?: string | null;
}

/** Every error the SDK throws or rejects with. */
export class YottaError extends Error {
  override readonly name = 'YottaError' as const;
  /** What kind of failure this is, the same whichever API version served the call. */
  readonly kind: ErrorKind;
  /** The API's business code (e.g. 24002), or null when the failure is not an API answer. */
  readonly code: number | null;
  /** The HTTP status of the response that carried the error, if any. */
  readonly httpStatus: number | null;
  /** For kind 'validation': the input field at fault (e.g. 'resources[1].gpuCount'). */
  readonly field: string | null;
  /** The SDK method that failed (e.g. 'deleteEndpoint'). */
  readonly operation: string | null;
  /** A sentence saying what to do, when the docs explain the refusal. */
  readonly advice: string | null;

  constructor(message: string, details: YottaErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.code = details.code ?? null;
    this.httpStatus = details.httpStatus ?? null;
    this.field = details.field ?? null;
    this.operation = details.operation ?? null;
    this.advice = details.advice ?? null;
  }
}

/** @internal
 * A rejection from the wasm core as a `YottaError`: the core sends an error's fields as JSON
 * text. Anything else (a `YottaError` raised in JavaScript, a trap) passes through, with the
 * method named where it names none.
 */
export function fromCore(error: unknown, operation: string): unknown {
  if (typeof error === 'string' && error.startsWith('{')) {
    const { message, ...details } = JSON.parse(error) as YottaErrorDetails & { message: string };
    return new YottaError(message, details);
  }
  if (error instanceof YottaError && error.operation === null) {
    (error as { operation: string | null }).operation = operation;
  }
  return error;
}
