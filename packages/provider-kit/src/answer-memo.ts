import { hash } from 'node:crypto';
import { setMostRecent, shareUnchanged } from '@cloudplane/sdk';

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
 * Values are shared between calls, so callers must only read them. Bounded: past `maxKeys`, the
 * key used longest ago is dropped (its next answer is simply parsed).
 */
export class AnswerMemo<T> {
  private readonly kept = new Map<string, { readonly digest: string; readonly value: T }>();

  constructor(private readonly maxKeys: number) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError(`AnswerMemo: maxKeys must be a positive integer, got ${maxKeys}`);
    }
  }

  /** The value parsed from `body` under `key`, parsing it with `parse` only when it is new. */
  parsed(key: string, body: string, parse: (body: string) => T): T {
    const digest = hash('sha256', body, 'base64');
    const before = this.kept.get(key);
    if (before !== undefined && before.digest === digest) {
      setMostRecent(this.kept, key, before, this.maxKeys);
      return before.value;
    }
    // A parse that throws keeps nothing: the key's next answer is parsed afresh.
    this.kept.delete(key);
    const value = before === undefined ? parse(body) : shareUnchanged(parse(body), before.value);
    setMostRecent(this.kept, key, { digest, value }, this.maxKeys);
    return value;
  }

  /** Keys kept now. */
  get size(): number {
    return this.kept.size;
  }
}
