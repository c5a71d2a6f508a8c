import type { Logger, Provider } from '@cloudplane/sdk';

/**
 * Secret scrubbing for text that crossed the adapter boundary (error messages, sync reasons).
 * A provider's error body may echo the request, so the credential's own secret values and
 * anything shaped like an auth header are replaced before the text is logged, stored or served.
 */

export const REDACTED = '[redacted]';

/** Shorter values would redact ordinary words and numbers; the schemas ask for longer keys. */
const MIN_SECRET_LENGTH = 4;

/**
 * Header and parameter names whose value is a secret, followed by a `:` or `=` separator and an
 * optional opening quote or bracket, so JSON echoes, `util.inspect` output, raw header dumps and
 * query strings are all caught. The value stops at a quote, backslash (an escaped quote inside a
 * JSON string), line break or a separator that ends a field.
 */
const NAMED_SECRET =
  /((?:proxy-)?authorization|x-api-key|x-auth-token|api[-_]?key|access[-_]?token|client[-_]?secret|password)(\\?["']?\s*[:=]\s*\[?\s*\\?["']?)([^"'`\\\r\n&,;}\]]+)/gi;

/** A bearer token wherever it appears, even without its header name. */
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;

/** Basic credentials; case-sensitive and at least 8 characters so the English word passes. */
const BASIC = /\b(Basic)\s+[A-Za-z0-9+/]{8,}=*/g;

export type Scrubber = (text: string) => string;

/**
 * Returns a function that replaces every one of the `secrets` (and their base64, base64url, hex,
 * URL-encoded and JSON-escaped forms) plus anything that looks like an auth header or bearer
 * token with `[redacted]`. Values shorter than 4 characters are not searched for.
 */
export function makeScrubber(secrets: readonly string[]): Scrubber {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of encodedForms(secret)) {
      if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
    }
  }
  // Longest first, so a form that contains another is replaced whole rather than in pieces.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    for (const form of ordered) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out
      .replace(
        NAMED_SECRET,
        (_all, name: string, separator: string) => `${name}${separator}${REDACTED}`,
      )
      .replace(BEARER, (_all, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(BASIC, (_all, scheme: string) => `${scheme} ${REDACTED}`);
  };
}

/** A scrubber with no secrets of its own: auth headers and bearer tokens only. */
export const scrubAuthHeaders: Scrubber = makeScrubber([]);

/**
 * A logger that scrubs every message and every string field (nested ones too) before handing
 * the line on: adapters log what their cloud said, and the cloud may have echoed the key.
 */
export function scrubbingLogger(logger: Logger, scrub: Scrubber): Logger {
  const line =
    (level: keyof Logger) =>
    (obj: Record<string, unknown>, msg: string): void => {
      const fields = scrubValue(obj, scrub, 0);
      logger[level](isRecord(fields) ? fields : {}, scrub(msg));
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Deep enough for any log line the adapters write; deeper values are dropped, not leaked. */
const MAX_DEPTH = 6;

function scrubValue(value: unknown, scrub: Scrubber, depth: number): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth >= MAX_DEPTH) return typeof value === 'object' && value !== null ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, scrub, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: scrub(value.message) };
  }
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, scrubValue(v, scrub, depth + 1)]),
    );
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  forms.push(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  forms.push(encodeURIComponent(secret).replace(/%20/g, '+'));
  for (const b64 of base64Cores(bytes)) {
    forms.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  forms.push(bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'));
  return forms;
}

/**
 * The base64 characters that depend on the secret alone, for each of the three byte offsets it
 * can start at inside a longer encoded value (an HTTP Basic `user:key` pair, a token blob): at an
 * offset the characters that mix in neighbouring bytes differ, the ones in between never do.
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    if (end > first) cores.push(encoded.slice(first, end));
  }
  return cores;
}

/** The scrubber of one credential: the values of its provider's `secretFields`. */
export function credentialScrubber(provider: Provider, credential: unknown): Scrubber {
  return makeScrubber(secretValues(provider, credential));
}

function secretValues(provider: Provider, credential: unknown): string[] {
  if (typeof credential !== 'object' || credential === null) return [];
  return provider.secretFields.flatMap((field) => stringsIn(Reflect.get(credential, field)));
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}
