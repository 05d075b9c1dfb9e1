// JSON between JavaScript and the wasm core. `BigInt`s are always written as exact JSON
// integers; JSON integers a number cannot hold exactly are read back as `BigInt`s when the client
// opted in (`{ bigint: true }`), else as `JSON.parse` reads them (ids are strings either way:
// this is for task input and output).

import { yottaError } from './error.js';
import type { YottaError } from './error.js';

/** Any JSON value, as `JSON.parse` gives it (an integer beyond 2^53 loses digits). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON whose integers beyond 2^53 are exact `bigint`s: task data from a client created with
 * `{ bigint: true }`. Task input may always contain `bigint`s; they are sent exactly.
 */
export type ExactJsonValue =
  | null | boolean | number | bigint | string | ExactJsonValue[] | { [key: string]: ExactJsonValue };

/** Deeper input is refused: real arguments are shallow, and a cycle would never end. */
const MAX_DEPTH = 64;

/** @internal An argument error, raised before anything is sent. */
export function invalid(field: string, rule: string): YottaError {
  return yottaError(`invalid ${field}: ${rule}`, { kind: 'validation', field });
}

/** @internal
 * `value` as JSON text, as `JSON.stringify` would write it but with exact `BigInt`s, and with
 * errors naming the field (`resources[0].gpuCount`, or `name` for the whole argument) for what
 * JSON cannot hold: functions, symbols, non-finite numbers, cycles, nesting past 64 levels.
 */
export function toJson(value: unknown, name: string): string {
  const parts: string[] = [];
  const open: object[] = [];
  const write = (item: unknown, path: string): void => {
    const field = path || name;
    switch (typeof item) {
      case 'string':
        parts.push(JSON.stringify(item));
        return;
      case 'number':
        if (!Number.isFinite(item)) throw invalid(field, 'must be a finite number');
        parts.push(JSON.stringify(item));
        return;
      case 'boolean':
        parts.push(item ? 'true' : 'false');
        return;
      case 'bigint':
        parts.push(item.toString());
        return;
      case 'undefined':
        parts.push('null');
        return;
      case 'function':
      case 'symbol':
        throw invalid(field, 'must be plain data (not a function or symbol)');
    }
    if (item === null) {
      parts.push('null');
      return;
    }
    const object = item as object;
    if (open.includes(object)) throw invalid(field, 'refers to itself (a cycle cannot be sent as JSON)');
    if (open.length >= MAX_DEPTH) throw invalid(field, `is nested more than ${MAX_DEPTH} levels deep`);
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      write(toJSON.call(object), path);
      return;
    }
    open.push(object);
    if (Array.isArray(object)) {
      parts.push('[');
      object.forEach((element, index) => {
        if (index > 0) parts.push(',');
        write(element, `${path}[${index}]`);
      });
      parts.push(']');
    } else {
      parts.push('{');
      let first = true;
      for (const [key, element] of Object.entries(object)) {
        // As JSON.stringify does, an undefined property is an absent one.
        if (element === undefined) continue;
        if (!first) parts.push(',');
        first = false;
        parts.push(JSON.stringify(key), ':');
        write(element, path ? `${path}.${key}` : key);
      }
      parts.push('}');
    }
    open.pop();
  };
  write(value, '');
  return parts.join('');
}

/** A JSON integer literal too long for a number to be sure to hold it: 16 digits or more. */
const LONG_INTEGER = /[[:,]-?\d{16}/;

type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** Whether `JSON.parse` passes revivers the source text (Chrome 114, Firefox 135, Node 21+). */
const parseWithSource = (() => {
  try {
    return JSON.parse('1', ((_key, _value, context) => context?.source === '1') as SourceReviver) === true;
  } catch {
    return false;
  }
})();

/** @internal Text from the core as JavaScript values; with `exact`, unsafe integers as `BigInt`s. */
export function fromJson(text: string, exact: boolean): unknown {
  if (!exact || !LONG_INTEGER.test(text)) return JSON.parse(text);
  if (parseWithSource) {
    return JSON.parse(text, ((_key, value, context) =>
      typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
        ? BigInt(context.source)
        : value) as SourceReviver);
  }
  return parseExact(text);
}

/**
 * A JSON parser for runtimes without source access (Node 20): like `JSON.parse`, but integers a
 * number cannot hold exactly become `BigInt`s. Only used when the text has such a literal.
 */
function parseExact(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at position ${at}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        const key = string();
        space();
        if (text[at++] !== ':') fail();
        object[key] = value();
        space();
        const next = text[at++];
        if (next === '}') return object;
        if (next !== ',') fail();
      }
    }
    if (c === '[') {
      at++;
      const array: unknown[] = [];
      space();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value());
        space();
        const next = text[at++];
        if (next === ']') return array;
        if (next !== ',') fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 400));
    if (!literal) return fail();
    at += literal[0].length;
    const token = literal[0];
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    const number = Number(token);
    return /^-?\d+$/.test(token) && !Number.isSafeInteger(number) ? BigInt(token) : number;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= text.length) fail();
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const result = value();
  space();
  if (at !== text.length) fail();
  return result;
}

/** @internal An id argument: a string, or an integer JavaScript holds exactly. */
export function idArgument(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return String(value);
    throw invalid(name, 'numbers above 2^53 lose digits in JavaScript: pass ids as strings');
  }
  throw invalid(name, 'must be a string');
}
