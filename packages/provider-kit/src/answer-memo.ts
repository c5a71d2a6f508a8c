import { hash } from 'node:crypto';
import { isPlainObject, samePlainData, setMostRecent, shareUnchanged } from '@cloudplane/sdk';

/**
 * The last answer parsed under each key, by a digest of the body it came from. An adapter that
 * reads the same pages on every poll (a catalog, mostly unchanged between two polls) hands one to
 * `ProviderHttp.call`: a body that arrives byte for byte as last time under its key is neither
 * JSON-parsed nor schema-checked again, and the call returns the very value it returned then.
 *
 * Sound because parsing is a pure function of the body: the same bytes always parse to the same
 * value. A body that did change is parsed, and then every part of it that equals the same part
 * of the last value (a page's unchanged items) is replaced by that part (`shareUnchanged`): the
 * caller gets last time's objects for what did not change, and the new copies die young.
 *
 * With `list`, the items of that field of a changed page are compared before the schema check,
 * and only the items that differ from last time's are checked (see `checkChangedItems`).
 *
 * Values are shared between calls, so callers must only read them. Bounded: past `maxKeys`, the
 * key used longest ago is dropped (its next answer is simply parsed).
 */
export class AnswerMemo<T> {
  private readonly kept = new Map<string, { readonly digest: string; readonly value: T }>();

  constructor(
    private readonly maxKeys: number,
    private readonly options: AnswerMemoOptions = {},
  ) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError(`AnswerMemo: maxKeys must be a positive integer, got ${maxKeys}`);
    }
  }

  /** The value parsed from `body` under `key`, reading and checking it only when it is new. */
  parsed(key: string, body: string, parse: BodyParse<T>): T {
    const digest = hash('sha256', body, 'base64');
    const before = this.kept.get(key);
    if (before !== undefined && before.digest === digest) {
      setMostRecent(this.kept, key, before, this.maxKeys);
      return before.value;
    }
    // A parse that throws keeps nothing: the key's next answer is parsed afresh.
    this.kept.delete(key);
    const json = parse.json();
    const { list } = this.options;
    const value =
      before === undefined
        ? parse.check(json)
        : list === undefined
          ? shareUnchanged(parse.check(json), before.value)
          : checkChangedItems(json, before.value, list, parse.check);
    setMostRecent(this.kept, key, { digest, value }, this.maxKeys);
    return value;
  }

  /** Keys kept now. */
  get size(): number {
    return this.kept.size;
  }
}

export interface AnswerMemoOptions {
  /**
   * The field of a page that holds its list of items (`instance_types`). Only for a key that is
   * always checked with the same schema, where that schema:
   * - checks each item of the list on its own: nothing reads the list as a whole (no length
   *   bound such as `.min`, `.max` or `.nonempty`, no uniqueness rule, no page-level refinement
   *   that looks at the list);
   * - checks again what it gave back, and gives back equal data: an item it returned passes it
   *   again and comes out equal. Unknown keys kept or stripped, `.default` and `.catch` are fine;
   *   a transform that changes a value's type (`z.string().transform(Number)`) is not.
   *
   * Then an item equal (as `samePlainData` has it: same own keys in any order, equal values,
   * plain objects) to an item the schema returned last time would come out equal to that item
   * again, so last time's item is taken as it is.
   */
  readonly list?: string;
}

/** How `ProviderHttp` reads a body: as JSON, then with the call's schema. */
export interface BodyParse<T> {
  readonly json: () => unknown;
  readonly check: (json: unknown) => T;
}

/**
 * `json` checked with `check`, where each item of its `list` that equals, as plain data, the item
 * at the same place in `before` is taken to be that item, unchecked. The rest of the page (its
 * other fields and the items that differ) goes through `check` as one page, in their order. A page
 * that fails is checked again whole, so that the error names the item's place in the real page.
 */
function checkChangedItems<T>(
  json: unknown,
  before: T,
  list: string,
  check: (json: unknown) => T,
): T {
  const items = isPlainObject(json) ? listOf(json, list) : undefined;
  const earlier = isPlainObject(before) ? listOf(before, list) : undefined;
  if (!isPlainObject(json) || items === undefined || earlier === undefined) {
    return shareUnchanged(check(json), before);
  }
  const merged: unknown[] = new Array<unknown>(items.length);
  const changed: number[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i < earlier.length && samePlainData(items[i], earlier[i])) merged[i] = earlier[i];
    else changed.push(i);
  }
  let page: T;
  try {
    page = check({ ...json, [list]: changed.map((i) => items[i]) });
  } catch {
    return check(json);
  }
  const checked = isPlainObject(page) ? listOf(page, list) : undefined;
  // A schema that dropped or added items broke the promise `list` makes: check the page whole.
  if (!isPlainObject(page) || checked?.length !== changed.length) return check(json);
  changed.forEach((at, k) => (merged[at] = checked[k]));
  // Every item in `merged` is one the schema returned, now or last time, for this key: under
  // `list`'s precondition the page with them is what checking the whole page would return.
  Reflect.set(page, list, merged);
  return page;
}

function listOf(value: object, field: string): readonly unknown[] | undefined {
  const items: unknown = Reflect.get(value, field);
  return Array.isArray(items) ? items : undefined;
}
