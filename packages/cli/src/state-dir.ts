import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where `cloudplane serve` keeps its data when --data-dir is not given: $CLOUDPLANE_DATA_DIR, else
 * the XDG state directory ($XDG_STATE_HOME or ~/.local/state) + /cloudplane. As the XDG spec
 * says, an empty or relative $XDG_STATE_HOME is ignored: it would put the master key wherever the
 * command happened to run.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOUDPLANE_DATA_DIR) return env.CLOUDPLANE_DATA_DIR;
  const xdg = env.XDG_STATE_HOME;
  const state = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return join(state, 'cloudplane');
}
