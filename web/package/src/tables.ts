// @generated from the Rust side by `cargo test -p yotta-wasm` (crates/yotta-wasm/src/typescript.rs).
// Do not edit by hand: the tests rewrite this file when it is stale.
import type { GpuType, RegistryType } from './types.js';

/** @internal Fields of a fetched `Endpoint` that no update sets (both versions' update operations lack them). */
export const ENDPOINT_READ_ONLY: readonly string[] = ['id', 'status', 'serviceMode', 'image', 'imageRegistry', 'creator', 'domain', 'totalWorkers', 'runningWorkers', 'cost', 'perSecondPrice', 'perHourPrice'];

/** @internal Fields of a fetched endpoint's `ResourceInfo` that a `Resource` lacks. */
export const RESOURCE_READ_ONLY: readonly string[] = ['regionDisplayName', 'gpuDisplayName', 'singleCardVramInGb', 'singleCardVcpu', 'singleCardRamInGb'];

/** @internal The data options of `new YottaClient()`. */
export const CLIENT_OPTIONS: readonly string[] = ['baseUrl', 'apiKey', 'apiVersion', 'timeoutMs', 'maxRetries', 'defaultHeaders'];

/**
 * Every GPU type the docs list (the API guides' GPU types reference), in their order.
 * An endpoint's `resources[].gpuType` takes the `code`; the API may accept types added since.
 */
export const GPU_TYPES: readonly Readonly<GpuType>[] = Object.freeze([
  {"code":"NVIDIA_RTX_4090_24G","displayName":"RTX 4090","vramGb":24},
  {"code":"NVIDIA_RTX_5090_32G","displayName":"RTX 5090","vramGb":32},
  {"code":"NVIDIA_RTX_A6000_48G","displayName":"RTX A6000","vramGb":48},
  {"code":"NVIDIA_RTX_6000_Ada_48G","displayName":"RTX 6000 Ada","vramGb":48},
  {"code":"NVIDIA_A100_PCIe_40G","displayName":"A100 PCIe 40G","vramGb":40},
  {"code":"NVIDIA_A100_40G","displayName":"A100 40G","vramGb":40},
  {"code":"NVIDIA_A100_PCIe_80G","displayName":"A100 PCIe 80G","vramGb":80},
  {"code":"NVIDIA_A100_80G","displayName":"A100 80GB","vramGb":80},
  {"code":"NVIDIA_H100_PCIe_80G","displayName":"H100 PCIe","vramGb":80},
  {"code":"NVIDIA_H100_80G","displayName":"H100","vramGb":80},
  {"code":"NVIDIA_RTX_PRO_6000_96G","displayName":"RTX PRO 6000","vramGb":96},
  {"code":"NVIDIA_H200_141G","displayName":"H200","vramGb":141},
  {"code":"NVIDIA_B200_180G","displayName":"B200","vramGb":180},
  {"code":"NVIDIA_B300_262G","displayName":"B300","vramGb":262},
  {"code":"AWS_Trainium_32G","displayName":"Trainium1","vramGb":32},
  {"code":"AMD_MI300X_192G","displayName":"MI300X","vramGb":192},
].map((gpu) => Object.freeze(gpu)));

/** The registry kinds the docs list, a credential's `type`; the API may accept others. */
export const REGISTRY_TYPES: readonly RegistryType[] = Object.freeze(['DOCKER_HUB', 'GCR', 'ECR', 'ACR', 'PRIVATE']);
