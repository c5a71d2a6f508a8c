/**
 * Errors the control plane reports to its callers (API, CLI). `code` is stable and machine
 * readable; `message` says what was wrong and what to do; neither ever carries a secret.
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';

  constructor(
    readonly status: 400 | 401 | 404 | 409 | 503,
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
