export * from './record.js';
export * from './models.js';
export * from './warnings.js';
export { normalizeGpu, MEMORY_TOLERANCE } from './normalize.js';
export type { NormalizeOptions, NormalizeResult, Candidate as GpuCandidate } from './normalize.js';
export { parseGpuSku, GPU_SKU_SCHEMES, type GpuSku, type GpuSkuScheme } from './skus/index.js';
