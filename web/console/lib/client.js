// The SDK client the console shares, and the API version setting (kept in localStorage).
import init, { GPU_TYPES, REGISTRY_TYPES, YottaClient, YottaError } from '../dist/index.js';

export { GPU_TYPES, REGISTRY_TYPES, YottaError };

const STORAGE_KEY = 'yotta.console.apiVersion';
let client = null;
let version = readVersion();
const listeners = new Set();

function readVersion() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'v1' || stored === 'v2' ? stored : 'v2';
  } catch {
    return 'v2';
  }
}

/**
 * Loads the WebAssembly module and creates the client (same-origin: no API key in the page;
 * task data with exact bigints, which the console shows digit for digit).
 */
export async function start() {
  await init();
  client = new YottaClient({ apiVersion: version, bigint: true });
}

export function api() {
  return client;
}

export function apiVersion() {
  return version;
}

export function setApiVersion(next) {
  if (next !== 'v1' && next !== 'v2' || next === version) return;
  version = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch { /* private mode: session only */ }
  client = new YottaClient({ apiVersion: next, bigint: true });
  for (const listener of listeners) listener(next);
}

export function onApiVersionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
