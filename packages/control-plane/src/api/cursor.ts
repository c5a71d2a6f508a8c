import type { z } from 'zod';
import { ControlPlaneError } from '../errors.js';

/**
 * Keyset cursors for paged lists: the last row's sort key as base64url JSON. A cursor that does
 * not parse against the list's schema is a 400, never a 500.
 */

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(schema: z.ZodType<T>, text: string): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ControlPlaneError(
      400,
      'request/bad-cursor',
      'cursor is not one this API issued; start again without it',
    );
  }
}
