import { canonicalGpu, type OfferQuery } from './query.js';
import type { ViewOffer } from './view-offer.js';

/**
 * One sort order of the catalog view: every offer, and the same order cut by GPU model and by
 * GPU model and count. A search walks only the lists its GPU filters allow, so asking for eight
 * H100s does not step over every cheaper one- and two-GPU H100 first (the SQL search has an
 * index on model and count for the same reason).
 */

/** The model key of "any model": no canonical GPU name starts with a NUL. */
const ANY_MODEL = '\u0000any';

const listKey = (model: string, count?: number) =>
  count === undefined ? model : `${model}\u0000${String(count)}`;

export class OrderedOffers {
  private constructor(
    readonly all: readonly ViewOffer[],
    private readonly lists: ReadonlyMap<string, readonly ViewOffer[]>,
    /** Each model's GPU counts, ascending. */
    private readonly counts: ReadonlyMap<string, readonly number[]>,
  ) {}

  /** Cuts `all`, already in this order, into its lists. */
  static of(all: readonly ViewOffer[]): OrderedOffers {
    const lists = new Map<string, ViewOffer[]>();
    const add = (key: string, offer: ViewOffer) => {
      const list = lists.get(key);
      if (list) list.push(offer);
      else lists.set(key, [offer]);
    };
    const counts = new Map<string, Set<number>>();
    const addCount = (model: string, count: number) => {
      const known = counts.get(model);
      if (known) known.add(count);
      else counts.set(model, new Set([count]));
    };
    for (const offer of all) {
      add(listKey(ANY_MODEL, offer.gpuCount), offer);
      addCount(ANY_MODEL, offer.gpuCount);
      if (offer.gpuName === null) continue;
      add(listKey(offer.gpuName), offer);
      add(listKey(offer.gpuName, offer.gpuCount), offer);
      addCount(offer.gpuName, offer.gpuCount);
    }
    const ascending = new Map(
      [...counts].map(([model, set]) => [model, [...set].sort((a, b) => a - b)] as const),
    );
    return new OrderedOffers(all, lists, ascending);
  }

  /** The lists that together hold every offer of the query's GPU model and count. */
  listsFor(query: OfferQuery): (readonly ViewOffer[])[] {
    const model = query.gpu === undefined ? ANY_MODEL : canonicalGpu(query.gpu);
    if (query.gpuCount !== undefined) return [this.lists.get(listKey(model, query.gpuCount)) ?? []];
    const counts = this.counts.get(model) ?? [];
    const minCount = query.minGpuCount;
    // A minimum at or below every count there is lets all of them through: one list, no merge.
    if (minCount !== undefined && minCount > (counts[0] ?? 0)) {
      return counts
        .filter((count) => count >= minCount)
        .map((count) => this.lists.get(listKey(model, count)) ?? []);
    }
    if (model === ANY_MODEL) return [this.all];
    return [this.lists.get(listKey(model)) ?? []];
  }
}

/**
 * The offers of `lists`, each already in order, from `starts` on, merged into one order by
 * `compare`. There are at most a handful of lists (one per GPU count), so the next offer is
 * picked by looking at each list's head.
 */
export function* merged(
  lists: readonly (readonly ViewOffer[])[],
  starts: readonly number[],
  compare: (a: ViewOffer, b: ViewOffer) => number,
): Generator<ViewOffer> {
  const at = [...starts];
  if (lists.length === 1) {
    const list = lists[0] ?? [];
    for (let i = at[0] ?? 0; i < list.length; i++) yield list[i] as ViewOffer;
    return;
  }
  for (;;) {
    let next = -1;
    let best: ViewOffer | undefined;
    lists.forEach((list, i) => {
      const head = list[at[i] ?? 0];
      if (head && (best === undefined || compare(head, best) < 0)) {
        best = head;
        next = i;
      }
    });
    if (best === undefined) return;
    at[next] = (at[next] ?? 0) + 1;
    yield best;
  }
}
