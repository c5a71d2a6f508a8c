import type { OfferQuery } from '../api/types.js';

/** The catalog's filter form, as strings the inputs hold. */
export interface Filters {
  readonly gpu: string;
  readonly minGpuCount: string;
  readonly minGpuMemoryGiB: string;
  readonly region: string;
  readonly provider: string;
  readonly maxPrice: string;
  readonly availability: Availability;
}

export const AVAILABILITIES = ['available', 'unavailable', 'any'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** The orders GET /v1/offers pages in (its `sort`). */
export const SORTS = ['price', 'pricePerGpu'] as const;
export type Sort = (typeof SORTS)[number];

/** What the catalog shows: its filters and its order. */
export interface CatalogView {
  readonly filters: Filters;
  readonly sort: Sort;
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

export const DEFAULT_VIEW: CatalogView = { filters: NO_FILTERS, sort: 'price' };

function int(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The query for GET /v1/offers; blank or unreadable fields are left out. */
export function toQuery(view: CatalogView, limit: number, cursor?: string): OfferQuery {
  const { filters } = view;
  const query: OfferQuery = { limit, sort: view.sort };
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

/** The text fields of Filters, which the URL carries under the same names. */
const TEXT_FIELDS = [
  'gpu',
  'minGpuCount',
  'minGpuMemoryGiB',
  'region',
  'provider',
  'maxPrice',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** Longer than any filter the API takes (512 characters); a longer value is not ours. */
const MAX_FIELD = 512;

function oneOf<T extends string>(choices: readonly T[], value: string | null): T | undefined {
  return choices.find((c) => c === value);
}

/**
 * The view a URL query string asks for. The URL is anyone's to edit or share, so each field is
 * read on its own: one that is too long or not a known choice is dropped (the default stands),
 * never passed on as is; the API checks the rest.
 */
export function viewFromSearch(search: string): CatalogView {
  const params = new URLSearchParams(search);
  const text = (field: TextField): string => {
    const value = params.get(field)?.trim() ?? '';
    return value !== '' && value.length <= MAX_FIELD ? value : NO_FILTERS[field];
  };
  const available = params.get('available');
  const availability =
    available === 'true' ? 'available' : available === 'false' ? 'unavailable' : available;
  return {
    filters: {
      gpu: text('gpu'),
      minGpuCount: text('minGpuCount'),
      minGpuMemoryGiB: text('minGpuMemoryGiB'),
      region: text('region'),
      provider: text('provider'),
      maxPrice: text('maxPrice'),
      availability: oneOf(AVAILABILITIES, availability) ?? NO_FILTERS.availability,
    },
    sort: oneOf(SORTS, params.get('sort')) ?? DEFAULT_VIEW.sort,
  };
}

/** The query string ("?…", or "" for the default view) that viewFromSearch reads back. */
export function searchOf(view: CatalogView): string {
  const params = new URLSearchParams();
  for (const field of TEXT_FIELDS) {
    const value = view.filters[field].trim();
    if (value !== '') params.set(field, value);
  }
  const { availability } = view.filters;
  if (availability !== NO_FILTERS.availability) {
    params.set(
      'available',
      availability === 'available' ? 'true' : availability === 'unavailable' ? 'false' : 'any',
    );
  }
  if (view.sort !== DEFAULT_VIEW.sort) params.set('sort', view.sort);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
