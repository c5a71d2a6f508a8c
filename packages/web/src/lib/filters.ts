import type { OfferQuery } from '../api/types.js';

/** The catalog's filter form, as strings the inputs hold. */
export interface Filters {
  readonly gpu: string;
  readonly minGpuCount: string;
  readonly minGpuMemoryGiB: string;
  readonly region: string;
  readonly provider: string;
  readonly maxPrice: string;
  readonly availability: 'any' | 'available' | 'unavailable';
}

export const NO_FILTERS: Filters = {
  gpu: '',
  minGpuCount: '',
  minGpuMemoryGiB: '',
  region: '',
  provider: '',
  maxPrice: '',
  availability: 'available',
};

function int(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The query for GET /v1/offers; blank or unreadable fields are left out. */
export function toQuery(filters: Filters, limit: number, cursor?: string): OfferQuery {
  const query: OfferQuery = { limit };
  if (filters.gpu.trim()) query.gpu = filters.gpu.trim();
  const count = int(filters.minGpuCount);
  if (count !== undefined && count > 0) query.minGpuCount = count;
  const memory = int(filters.minGpuMemoryGiB);
  if (memory !== undefined && memory > 0) query.minGpuMemoryGiB = memory;
  if (filters.region.trim()) query.region = filters.region.trim();
  if (filters.provider.trim()) query.provider = filters.provider.trim();
  if (/^\d+(?:\.\d{1,6})?$/.test(filters.maxPrice.trim())) query.maxPrice = filters.maxPrice.trim();
  if (filters.availability !== 'any') {
    query.available = filters.availability === 'available' ? 'true' : 'false';
  }
  if (cursor !== undefined) query.cursor = cursor;
  return query;
}
