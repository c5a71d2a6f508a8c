/**
 * The shared fake base hands a fake only the path of a request, not its query string, and
 * LaunchPad's lists need theirs (`page`, `page_size`, `state_not`, `expand`). Test clients
 * therefore send through `carryQuery`, which copies the query into a header the fake reads. The
 * adapter itself sends the query as LaunchPad expects it; nothing here changes what it sends.
 */
export const QUERY_HEADER = 'x-fake-query';

export function carryQuery(inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.set(QUERY_HEADER, new URL(request.url).search.replace(/^\?/, ''));
    return inner(new Request(request, { headers }));
  };
}
