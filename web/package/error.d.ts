
/** Every error the SDK throws or rejects with. */
export declare class YottaError extends Error {
  readonly name: 'YottaError';
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
}
