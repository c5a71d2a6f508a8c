/**
 * Errors the control plane reports to its callers (API, CLI). `code` is stable and machine
 * readable; `message` says what was wrong and what to do; neither ever carries a secret.
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** zod issues as `path: message` pairs; zod's messages name the problem, never the value. */
export function issueList(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): { path: string; message: string }[] {
  return issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
}

/** The unique constraint a write broke (PostgreSQL's unique_violation), as pg and PGlite report it. */
export function violatedUniqueConstraint(err: unknown): string | null {
  return violatedConstraint(err, '23505');
}

/** The foreign key a write broke (foreign_key_violation): what it referred to is gone. */
export function violatedForeignKey(err: unknown): string | null {
  return violatedConstraint(err, '23503');
}

function violatedConstraint(err: unknown, sqlState: string): string | null {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const fields = e as { code?: unknown; constraint?: unknown };
    if (fields.code === sqlState)
      return typeof fields.constraint === 'string' ? fields.constraint : '';
  }
  return null;
}

export function isUniqueViolation(err: unknown): boolean {
  return violatedUniqueConstraint(err) !== null;
}
