import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `cloudplane serve` keeps its data when --data-dir is not given: $CLOUDPLANE_DATA_DIR, else
 * the XDG state directory ($XDG_STATE_HOME or ~/.local/state) + /cloudplane.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOUDPLANE_DATA_DIR) return env.CLOUDPLANE_DATA_DIR;
  const state = env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state');
  return join(state, 'cloudplane');
}
