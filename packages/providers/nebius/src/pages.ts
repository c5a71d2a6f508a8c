import { CloudError } from '@cloudplane/sdk';
import type { NebiusRpc, RpcCall } from './rpc.js';
import { PageWire, parseOrThrow } from './wire.js';

/** A guard against a server that keeps answering a next page: no project has this many. */
const MAX_PAGES = 1_000;

/**
 * Every item of a paginated List (page_token / next_page_token), complete or an error: a page
 * that fails fails the whole call (the instance syncer relies on lists being complete), and a
 * token that comes back twice is an error rather than an endless loop.
 */
export async function pageThrough(
  operation: string,
  page: (pageToken: string) => RpcCall<unknown>,
  rpc: NebiusRpc,
): Promise<unknown[]> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let token = '';
  for (let count = 1; count <= MAX_PAGES; count++) {
    const answer = parseOrThrow(PageWire, await rpc.call(page(token)), operation);
    items.push(...answer.items);
    if (answer.nextPageToken === '') return items;
    if (seen.has(answer.nextPageToken)) {
      throw new CloudError('INTERNAL', {
        message: `${operation}: Nebius answered the page token "${answer.nextPageToken}" twice`,
      });
    }
    seen.add(answer.nextPageToken);
    token = answer.nextPageToken;
  }
  throw new CloudError('INTERNAL', { message: `${operation}: more than ${MAX_PAGES} pages` });
}
