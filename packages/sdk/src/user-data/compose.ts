import { createHash } from 'node:crypto';
import { parsePublicKey } from '../ssh.js';
import { detectUserDataKind, invalidUserData } from './detect.js';

/**
 * The user-data composer, for clouds that take cloud-init user data but have no SSH-key API (or
 * no firewall API): it turns the launching user's public keys, the user's own user data and a
 * firewall script into ONE MIME multi-part document that cloud-init runs whole.
 *
 * The parts, in this order:
 *  1. the user's `#cloud-config`, when they gave one (text/cloud-config);
 *  2. our `#cloud-config` with `ssh_authorized_keys`, carrying a `merge_how` that appends lists,
 *     so keys the user's document also authorizes are kept beside ours (cloud-init's default
 *     merge would let a later part replace the list);
 *  3. the firewall script (text/x-shellscript, file `10-cloudplane-firewall`);
 *  4. the user's shell script, when they gave one (file `20-user-data`).
 * cloud-init runs shell-script parts in the order of their file names, so the firewall is up
 * before the user's script starts; the names are fixed here for that reason.
 *
 * The output is deterministic (the same inputs give the same bytes): the boundary is derived from
 * a hash of the parts and checked to occur in none of them.
 */

export interface UserDataInput {
  /** OpenSSH public key lines to authorize for the image's default user; at least one. */
  readonly sshAuthorizedKeys: readonly string[];
  /** The user's own user data: a shell script ("#!") or a "#cloud-config" document. */
  readonly userData?: string | undefined;
  /** A shell script run before the user's script (the SDK's firewallScript()); starts with "#!". */
  readonly firewallScript?: string | undefined;
}

export const USER_DATA_PART_FILES = {
  userCloudConfig: 'user-cloud-config',
  keys: 'cloudplane-ssh-keys',
  firewall: '10-cloudplane-firewall',
  userScript: '20-user-data',
} as const;

/** How our cloud-config merges into the user's: lists appended, the user's keys kept. */
export const KEYS_MERGE_HOW = [
  { name: 'list', settings: ['append'] },
  { name: 'dict', settings: ['no_replace', 'recurse_list'] },
] as const;

interface Part {
  readonly type: 'text/cloud-config' | 'text/x-shellscript';
  readonly filename: string;
  readonly body: string;
}

export function composeUserData(input: UserDataInput): string {
  const parts: Part[] = [];
  const user = userPart(input.userData);
  if (user?.type === 'text/cloud-config') parts.push(user);
  parts.push({
    type: 'text/cloud-config',
    filename: USER_DATA_PART_FILES.keys,
    body: keysCloudConfig(input.sshAuthorizedKeys),
  });
  const firewall = firewallPart(input.firewallScript);
  if (firewall) parts.push(firewall);
  if (user?.type === 'text/x-shellscript') parts.push(user);
  return multipart(parts);
}

function userPart(userData: string | undefined): Part | undefined {
  if (userData === undefined || userData.trim() === '') return undefined;
  const kind = detectUserDataKind(userData);
  return kind === 'cloud-config'
    ? { type: 'text/cloud-config', filename: USER_DATA_PART_FILES.userCloudConfig, body: userData }
    : { type: 'text/x-shellscript', filename: USER_DATA_PART_FILES.userScript, body: userData };
}

/** Our cloud-config, as JSON (valid YAML, so no quoting pitfalls). Each key is checked first. */
function keysCloudConfig(keys: readonly string[]): string {
  if (keys.length === 0) {
    throw invalidUserData('no SSH public key to authorize: give at least one');
  }
  const lines = keys.map((line, index) => {
    const trimmed = line.trim();
    try {
      parsePublicKey(trimmed);
    } catch (err) {
      throw invalidUserData(
        `SSH key #${index + 1} cannot be authorized: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return trimmed;
  });
  const document = { ssh_authorized_keys: [...new Set(lines)], merge_how: KEYS_MERGE_HOW };
  return `#cloud-config\n${JSON.stringify(document, null, 2)}\n`;
}

function firewallPart(script: string | undefined): Part | undefined {
  if (script === undefined || script.trim() === '') return undefined;
  if (!script.startsWith('#!')) {
    throw invalidUserData('the firewall script must be a shell script starting with "#!"');
  }
  return { type: 'text/x-shellscript', filename: USER_DATA_PART_FILES.firewall, body: script };
}

/** A boundary that none of the parts contains, the same for the same parts. */
function boundaryFor(parts: readonly Part[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${p.type}\0${p.filename}\0${p.body}\0`);
  const digest = hash.digest('hex');
  for (let salt = 0; ; salt++) {
    const boundary = `==cloudplane-${digest.slice(0, 24)}${salt === 0 ? '' : `-${salt}`}==`;
    if (!parts.some((p) => p.body.includes(boundary))) return boundary;
  }
}

function multipart(parts: readonly Part[]): string {
  const boundary = boundaryFor(parts);
  const lines = [`Content-Type: multipart/mixed; boundary="${boundary}"`, 'MIME-Version: 1.0', ''];
  for (const part of parts) {
    lines.push(
      `--${boundary}`,
      `Content-Type: ${part.type}; charset="utf-8"`,
      'MIME-Version: 1.0',
      'Content-Transfer-Encoding: 8bit',
      `Content-Disposition: attachment; filename="${part.filename}"`,
      '',
      // The line break written before the next boundary belongs to it (RFC 2046), so the body
      // comes back exactly as given, its own last line break included.
      part.body,
    );
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\n');
}
