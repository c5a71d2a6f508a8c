import { findModel } from '../models.js';
import { parseAws } from './aws.js';
import { parseAzure } from './azure.js';
import { parseGcp } from './gcp.js';
import { parseDigitalOcean, parseVultr } from './marketplace.js';
import { parseOci } from './oci.js';
import type { GpuSku } from './sku.js';

export { GPU_SKU_SCHEMES, type GpuSku, type GpuSkuScheme } from './sku.js';

/**
 * parseGpuSku: reads a cloud's instance SKU (AWS instance type, Azure VM size or quota family, OCI
 * shape, GCP machine or accelerator type, DigitalOcean or Vultr slug) with that vendor's published
 * naming scheme. Answers the GPU model it fixes, the variant fields it fixes, and how many GPUs
 * one instance has; undefined when the text is no known SKU. The schemes do not overlap, so the
 * answer does not depend on which provider the text came from.
 */
export function parseGpuSku(text: string): GpuSku | undefined {
  return (
    parseAws(text) ??
    parseAzure(text) ??
    parseOci(text, modelOfCode) ??
    parseGcp(text) ??
    parseDigitalOcean(text, modelOfCode) ??
    parseVultr(text, modelOfCode, onlyMemoryOf)
  );
}

/** A GPU code inside a SKU (`l40s`, `mi300x`, DigitalOcean's `6000ada`) as a canonical name. */
function modelOfCode(code: string): string | undefined {
  const upper = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (upper === '') return undefined;
  return findModel(upper)?.name ?? findModel(`RTX${upper}`)?.name;
}

function onlyMemoryOf(model: string): number | undefined {
  const sizes = new Set(findModel(model)?.variants.map((v) => v.memoryGiB));
  return sizes.size === 1 ? [...sizes][0] : undefined;
}
