// @generated from the Rust side by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).
// Do not edit by hand: the tests rewrite this file when it is stale.

/** @internal Fields of a fetched `Endpoint` that no update sets (both versions' update operations lack them). */
export const ENDPOINT_READ_ONLY: readonly string[] = ['id', 'status', 'serviceMode', 'image', 'imageRegistry', 'creator', 'domain', 'totalWorkers', 'runningWorkers', 'cost', 'perSecondPrice', 'perHourPrice'];

/** @internal Fields of a fetched endpoint's `ResourceInfo` that a `Resource` lacks. */
export const RESOURCE_READ_ONLY: readonly string[] = ['regionDisplayName', 'gpuDisplayName', 'singleCardVramInGb', 'singleCardVcpu', 'singleCardRamInGb'];

/** @internal The data options of `new YottaClient()`. */
export const CLIENT_OPTIONS: readonly string[] = ['baseUrl', 'apiKey', 'apiVersion', 'timeoutMs', 'maxRetries', 'defaultHeaders'];
