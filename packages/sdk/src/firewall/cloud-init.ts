import {
  firewallApplyScript,
  FIREWALL_INSTALL_PATH,
  type FirewallScriptOptions,
} from './script.js';
import { firewallScript } from './script.js';
import { parseFirewallRules } from './validate.js';

/**
 * The same firewall in the forms boot APIs take: a `#cloud-config` document (for clouds that run
 * cloud-init), base64 (for APIs whose launch script field is base64), and a combination with the
 * user's own user data.
 */

/**
 * A `#cloud-config`: installs ufw and iptables, writes the apply script with base64 content, and
 * runs it from runcmd. JSON is valid YAML, so the body is emitted as JSON: no quoting pitfalls.
 */
export function firewallCloudConfig(rules: unknown, options: FirewallScriptOptions = {}): string {
  const script = firewallApplyScript(parseFirewallRules(rules), options);
  const document = {
    packages: ['ufw', 'iptables'],
    write_files: [
      {
        path: FIREWALL_INSTALL_PATH,
        permissions: '0755',
        owner: 'root:root',
        encoding: 'b64',
        content: Buffer.from(script).toString('base64'),
      },
    ],
    runcmd: [['/bin/sh', FIREWALL_INSTALL_PATH, 'install']],
  };
  return `#cloud-config\n${JSON.stringify(document, null, 2)}\n`;
}

/** The installer script, base64-encoded, for APIs that take a base64 boot script. */
export function firewallUserDataBase64(
  rules: unknown,
  options: FirewallScriptOptions = {},
): string {
  return Buffer.from(firewallScript(rules, options)).toString('base64');
}

/**
 * Puts the firewall in front of the user's own user data without losing either. A shell script
 * (or nothing) becomes one script: the firewall installer runs first, in a subshell, then the
 * user's script. A `#cloud-config` document becomes a MIME multi-part message (cloud-init runs
 * both parts). Anything else is refused: we cannot know how the image would run it.
 */
export function withFirewall(
  userData: string | undefined,
  rules: unknown,
  options: FirewallScriptOptions = {},
): string {
  const firewall = firewallScript(rules, options);
  if (userData === undefined || userData.trim() === '') return firewall;
  if (userData.startsWith('#!')) {
    return [
      '#!/bin/sh',
      '# cloudplane: firewall first, then the user data as given',
      '(',
      firewall.replace(/^#!.*\n/, ''),
      ') || { echo "cloudplane: firewall setup failed" >&2; exit 1; }',
      "cat > /tmp/cloudplane-user-data <<'CLOUDPLANE_USER_DATA_EOF'",
      userData,
      'CLOUDPLANE_USER_DATA_EOF',
      'chmod 0700 /tmp/cloudplane-user-data',
      'exec /tmp/cloudplane-user-data',
      '',
    ].join('\n');
  }
  if (userData.startsWith('#cloud-config')) return mimeMultipart(firewall, userData);
  throw new RangeError(
    'user data must be a script starting with "#!" or a "#cloud-config" document to be combined with the firewall',
  );
}

function mimeMultipart(script: string, cloudConfig: string): string {
  const boundary = 'CLOUDPLANE-BOUNDARY-7d1f3c';
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset="utf-8"`, 'MIME-Version: 1.0', '', body].join(
      '\n',
    );
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    '',
    part('text/x-shellscript', script),
    part('text/cloud-config', cloudConfig),
    `--${boundary}--`,
    '',
  ].join('\n');
}
