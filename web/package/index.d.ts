// The package's public surface: what index.js exports, with its data types. (yotta_wasm.d.ts
// also declares wasm-bindgen internals, which are deliberately not re-exported.)
export { YottaClient, YottaIterator, parseTaskNotification, YottaError } from './yotta_wasm.js';
export type {
  CallOptions, StatusFilter, JsonValue, InitInput, ClientOptions, ApiVersionName, WaitOptions, ErrorKind,
  Endpoint, EndpointSpec, EndpointUpdate, EndpointStatus, EndpointId, ResourceInfo, Resource, EnvVar, Expose,
  ServiceMode, Amount, CredentialId, Worker, WorkerId, WorkerStatus, LogLine, LogPage, LogQuery, LogCursor,
  LogTime, Direction, Task, TaskSpec, TaskPage, TaskCount, TaskListQuery, TaskStatus, TaskId, DeliveryStatus,
  TaskNotification,
} from './yotta_wasm.js';
import type { InitInput } from './yotta_wasm.js';

/**
 * Loads the WebAssembly module; call (and await) once before using the SDK. Repeated calls
 * share the first load. Without `input`, browsers and bundlers fetch the .wasm file next to
 * this module, and Node reads it from disk.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;
