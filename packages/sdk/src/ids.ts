/**
 * The one way to name an instance type. The catalog (InstanceType.id) and every instance
 * (Instance.instanceTypeId) must call this same function with the same inputs, so the two can
 * never drift apart (the Go SDK's reviewers found adapters that built them differently).
 *
 * Format: `<location>/<type>` or `<location>/<subLocation>/<type>`, each part percent-encoded so a
 * `/` inside a name cannot make the id ambiguous. Providers with their own stable per-offer ids
 * pass them as `stableId` and get that back unchanged.
 */
export interface InstanceTypeIdParts {
  readonly location: string;
  readonly subLocation?: string | undefined;
  readonly type: string;
  /** The provider's own stable id for this offer, when it has one. */
  readonly stableId?: string | undefined;
}

export function instanceTypeId(parts: InstanceTypeIdParts): string {
  if (parts.stableId !== undefined) {
    if (parts.stableId === '') throw new RangeError('stableId must not be empty');
    return parts.stableId;
  }
  requirePart('location', parts.location);
  requirePart('type', parts.type);
  const segments = [parts.location];
  if (parts.subLocation !== undefined && parts.subLocation !== '') segments.push(parts.subLocation);
  segments.push(parts.type);
  return segments.map(encodeURIComponent).join('/');
}

/** Inverse of instanceTypeId for derived ids; returns null for a provider's own stable id. */
export function parseInstanceTypeId(
  id: string,
): { location: string; subLocation?: string; type: string } | null {
  const segments = id.split('/').map((s) => safeDecode(s));
  if (segments.some((s) => s === null || s === '')) return null;
  const [a, b, c] = segments as string[];
  if (segments.length === 2 && a !== undefined && b !== undefined) return { location: a, type: b };
  if (segments.length === 3 && a !== undefined && b !== undefined && c !== undefined) {
    return { location: a, subLocation: b, type: c };
  }
  return null;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function requirePart(what: string, value: string): void {
  if (value === '') throw new RangeError(`instanceTypeId: ${what} must not be empty`);
}
