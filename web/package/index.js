// Entry module of the package: the wasm initialiser as default export, and the SDK's classes.
import initWasm, { YottaIterator } from './yotta_wasm.js';

export { YottaClient, YottaIterator, parseTaskNotification } from './yotta_wasm.js';
export { YottaError } from '__YOTTA_ERROR_MODULE__';

// wasm-bindgen cannot name symbols: make the listings usable with `for await`.
YottaIterator.prototype[Symbol.asyncIterator] = function () {
  return this;
};

let loading;

/**
 * Loads the WebAssembly module; call (and await) once before using the SDK. Repeated calls
 * share the first load. `input` is optional: a URL, a Response, bytes or a compiled module.
 * Without it, browsers and bundlers fetch the .wasm file next to this module, and Node reads it.
 */
export default function init(input) {
  loading ??= load(input).catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(input) {
  if (input === undefined && typeof process !== 'undefined' && process.versions?.node) {
    // Node's fetch cannot read file: URLs. The specifier is in a variable so bundlers
    // targeting browsers leave it alone.
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fs);
    input = await readFile(new URL('./yotta_wasm_bg.wasm', import.meta.url));
  }
  await initWasm(input === undefined ? undefined : { module_or_path: input });
}
