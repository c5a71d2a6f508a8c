import { CloudError } from '@cloudplane/sdk';

/**
 * LaunchPad's lists come in pages (`page`, `page_size`; `next` is null on the last). A list is
 * complete or an error (docs/contract.md, "Lists"): every page is fetched, a failed page fails
 * the whole list, and an answer that never ends is an error rather than a silent cut.
 */

export const PAGE_SIZE = 100;
/** 100 000 items at PAGE_SIZE: far beyond any account, so reaching it means a broken `next`. */
export const MAX_PAGES = 1_000;

export interface Page<T> {
  readonly results: readonly T[];
  readonly next?: string | null | undefined;
}

/** Fetches pages 1, 2, ... until `next` is empty; items are de-duplicated by `idOf`. */
export async function allPages<T>(
  what: string,
  fetchPage: (page: number) => Promise<Page<T>>,
  idOf?: (item: T) => string,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await fetchPage(page);
    for (const item of answer.results) {
      // A page boundary can move while we read (an item created or deleted meanwhile).
      const id = idOf?.(item);
      if (id !== undefined) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      items.push(item);
    }
    if (answer.next === null || answer.next === undefined || answer.next === '') return items;
    if (answer.results.length === 0) {
      throw new CloudError('INTERNAL', {
        message: `${what}: LaunchPad answered an empty page ${page} that says more pages follow`,
      });
    }
  }
  throw new CloudError('INTERNAL', {
    message: `${what}: LaunchPad kept answering with more pages after ${MAX_PAGES}; the list cannot be completed`,
  });
}
