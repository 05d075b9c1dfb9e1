// Where the package runs, what its environment says, and how it logs. Shared by the client and
// the proxy handler.

import { yottaError } from './error.js';
import type { YottaError } from './error.js';

/** What this module looks for on `globalThis`. */
interface Globals {
  process?: { env?: Record<string, string | undefined>; versions?: { node?: string } };
  Deno?: { env?: { get(name: string): string | undefined } };
  document?: unknown;
  importScripts?: unknown;
  location?: { origin?: unknown };
}

const globals = globalThis as Globals;

/** @internal Node, Bun or Deno (all of which set `process.versions.node` or `Deno`). */
export function isServer(): boolean {
  return Boolean(globals.process?.versions?.node || globals.Deno);
}

/**
 * @internal A page or a browser's worker: code whose secrets anyone using the page can read.
 * Workers of Cloudflare and friends are neither (they have no `document` or `importScripts`).
 */
export function isBrowser(): boolean {
  return !isServer() && (typeof globals.document === 'object' || typeof globals.importScripts === 'function');
}

/** @internal The page's origin (`https://dash.example`), in a browser. */
export function pageOrigin(): string | undefined {
  const origin = globals.location?.origin;
  return isBrowser() && typeof origin === 'string' && origin.startsWith('http') ? origin : undefined;
}

/**
 * @internal An environment variable of a server runtime; undefined elsewhere, when empty, and
 * when Deno runs without `--allow-env`.
 */
export function env(name: string): string | undefined {
  if (!isServer()) return undefined;
  try {
    const value = globals.Deno?.env?.get(name) ?? globals.process?.env?.[name];
    return value ? value : undefined;
  } catch {
    return undefined;
  }
}

/** @internal A setting that is missing or unusable (`field` names it, e.g. `YOTTA_API_KEY`). */
export function misconfigured(field: string, rule: string): YottaError {
  return yottaError(`${field}: ${rule}`, { kind: 'configuration', field });
}

/** How much the client logs: each level includes the ones before it. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Where the client logs: `console`, or any object with these methods (pino, winston...). */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** @internal The levels, quietest first. */
export const LEVELS: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** @internal `value` as a log level, or undefined when it is not one. */
export function logLevel(value: unknown): LogLevel | undefined {
  return LEVELS.find((level) => level === value);
}

/** @internal Kinds of a failed attempt that got no usable answer: worth an error line. */
const UNANSWERED = ['network', 'timeout', 'http', 'unauthorized', 'decode'];

/**
 * @internal The core's observer for `level` (undefined when nothing is logged): one line per HTTP
 * attempt, at `warn` when it will be retried, `error` when the call fails without an answer,
 * `info` otherwise (business refusals are the caller's to handle: they reject the call). The
 * lines hold the method and path only; `secret` (the API key) is blanked out all the same,
 * should an error message ever quote it.
 */
export function attemptLogger(
  level: LogLevel,
  logger: Logger,
  secret: string | undefined,
): ((line: string, kind: string | undefined, retrying: boolean) => void) | undefined {
  const limit = LEVELS.indexOf(level);
  if (limit <= 0) return undefined;
  return (line, kind, retrying) => {
    const at: LogLevel = retrying ? 'warn' : kind && UNANSWERED.includes(kind) ? 'error' : 'info';
    if (LEVELS.indexOf(at) > limit) return;
    const text = `yotta: ${line}`;
    logger[at as Exclude<LogLevel, 'off'>](secret ? text.split(secret).join('[redacted]') : text);
  };
}
