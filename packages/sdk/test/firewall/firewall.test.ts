import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  FirewallRuleError,
  firewallApplyScript,
  firewallCloudConfig,
  firewallScript,
  firewallUserDataBase64,
  FIREWALL_INSTALL_PATH,
  parseFirewallRules,
  reduceToAllowlist,
  withFirewall,
} from '../../src/index.js';

const web = { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] };

describe('parseFirewallRules', () => {
  it('normalises CIDRs, clears host bits and merges identical rules', () => {
    const rules = parseFirewallRules({
      ingress: [
        { protocol: 'tcp', fromPort: 8000, toPort: 8100, cidrs: ['10.1.2.3/8', '10.0.0.5'] },
        { protocol: 'tcp', fromPort: 8000, toPort: 8100, cidrs: ['192.168.1.7'] },
      ],
    });
    assert.deepEqual(rules.ingress, [
      { protocol: 'tcp', fromPort: 8000, toPort: 8100, cidrs: ['10.0.0.0/8', '192.168.1.7/32'] },
    ]);
    assert.deepEqual(rules.egress, []);
  });

  it('says which rule and field is wrong, and what to write', () => {
    const cases: [unknown, RegExp][] = [
      [
        { ingress: [{ ...web, fromPort: 0 }] },
        /ingress\[0\]\.fromPort: 0 is not a port; use 1-65535/,
      ],
      [{ ingress: [{ ...web, toPort: 70000 }] }, /toPort: 70000/],
      [
        { ingress: [{ ...web, fromPort: 9000, toPort: 8000 }] },
        /ingress\[0\]: fromPort 9000 is above toPort 8000; swap them/,
      ],
      [
        { ingress: [{ ...web, cidrs: ['10.0.0.0/33'] }] },
        /ingress\[0\]\.cidrs\[0\]: "10.0.0.0\/33" is not an IPv4 CIDR/,
      ],
      [{ ingress: [{ ...web, cidrs: ['300.1.1.1'] }] }, /not an IPv4 CIDR/],
      [
        { egress: [{ ...web, cidrs: ['2001:db8::/32'] }] },
        /egress\[0\]\.cidrs\[0\]: .*IPv6.*IPv4 ranges only/,
      ],
      [{ ingress: [{ ...web, protocol: 'icmp' }] }, /ingress\.0\.protocol/],
      [{ ingress: [{ ...web, cidrs: [] }] }, /ingress\.0\.cidrs/],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => parseFirewallRules(input),
        (err: unknown) => err instanceof FirewallRuleError && message.test(err.message),
        String(message),
      );
    }
  });
});

describe('firewall outputs', () => {
  const rules = {
    ingress: [web, { protocol: 'udp', fromPort: 60000, toPort: 61000, cidrs: ['198.51.100.0/24'] }],
  };

  it('writes one rule per port range and source, on every path', () => {
    const script = firewallApplyScript(parseFirewallRules(rules));
    assert.match(script, /ipt -A CLOUDPLANE-IN -p tcp -s 0\.0\.0\.0\/0 --dport 443 -j ACCEPT/);
    assert.match(
      script,
      /ipt -A CLOUDPLANE-IN -p udp -s 198\.51\.100\.0\/24 --dport 60000:61000 -j ACCEPT/,
    );
    assert.match(script, /ufw allow proto udp from 198\.51\.100\.0\/24 to any port 60000:61000/);
    assert.match(script, /--ctorigdstport 443 -j RETURN/);
    assert.match(script, /ipt -N DOCKER-USER 2>\/dev\/null \|\| true\n {2}ipt -F DOCKER-USER/);
  });

  it('keeps SSH open, including an extra SSH port, even with no rules', () => {
    const script = firewallApplyScript(parseFirewallRules({}), { extraSshPort: 2222 });
    assert.match(script, /ufw allow 22\/tcp/);
    assert.match(script, /ufw allow 2222\/tcp/);
    assert.match(script, /CLOUDPLANE-IN6 -p tcp --dport 22 -j ACCEPT/);
    assert.throws(() => firewallScript({}, { extraSshPort: 0 }), /extraSshPort 0/);
  });

  it('leaves Docker alone when told there is none', () => {
    assert.doesNotMatch(firewallScript(rules, { docker: false }), /DOCKER-USER|docker\.service/);
  });

  it('restricts outbound only when egress rules are given', () => {
    assert.match(firewallScript(rules), /ufw default allow outgoing/);
    const restricted = firewallScript({
      ...rules,
      egress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] }],
    });
    assert.match(restricted, /ufw default deny outgoing/);
    assert.match(restricted, /ipt -A CLOUDPLANE-OUT -p tcp -d 0\.0\.0\.0\/0 --dport 443 -j ACCEPT/);
    assert.match(restricted, /--dport 67:68 -j ACCEPT/, 'DHCP keeps working');
  });

  it('emits a cloud-config whose base64 file is the apply script, run from runcmd', () => {
    const text = firewallCloudConfig(rules);
    assert.ok(text.startsWith('#cloud-config\n'));
    const doc = parse(text) as {
      packages: string[];
      write_files: { path: string; encoding: string; content: string; permissions: string }[];
      runcmd: string[][];
    };
    assert.deepEqual(doc.packages, ['ufw', 'iptables']);
    const file = doc.write_files[0];
    assert.equal(file?.path, FIREWALL_INSTALL_PATH);
    assert.equal(file.encoding, 'b64');
    assert.equal(
      Buffer.from(file.content, 'base64').toString(),
      firewallApplyScript(parseFirewallRules(rules)),
    );
    assert.deepEqual(doc.runcmd, [['/bin/sh', FIREWALL_INSTALL_PATH, 'install']]);
  });

  it('gives the installer script in base64 for APIs that want it', () => {
    assert.equal(
      Buffer.from(firewallUserDataBase64(rules), 'base64').toString(),
      firewallScript(rules),
    );
  });
});

describe('withFirewall', () => {
  it('runs the firewall first, then the user script unchanged', () => {
    const combined = withFirewall('#!/bin/bash\necho "$HOME" hi\n', { ingress: [web] });
    assert.ok(combined.startsWith('#!/bin/sh\n'));
    const firewallAt = combined.indexOf('cloudplane-firewall');
    const userAt = combined.indexOf('echo "$HOME" hi');
    assert.ok(firewallAt > 0 && userAt > firewallAt);
  });

  it('wraps a cloud-config with the firewall as MIME multi-part', () => {
    const combined = withFirewall('#cloud-config\npackages: [htop]\n', {});
    assert.match(combined, /^Content-Type: multipart\/mixed; boundary="/);
    assert.match(combined, /text\/x-shellscript[\s\S]*text\/cloud-config[\s\S]*packages: \[htop\]/);
  });

  it('returns the firewall alone without user data, and refuses unknown formats', () => {
    assert.equal(withFirewall(undefined, {}), firewallScript({}));
    assert.throws(() => withFirewall('just text', {}), /"#!" or a "#cloud-config"/);
  });
});

describe('reduceToAllowlist', () => {
  it('unions the sources, collapsing covered ranges, and says what it widened', () => {
    const result = reduceToAllowlist({
      ingress: [
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] },
        { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: ['203.0.113.0/24'] },
      ],
      egress: [web],
    });
    assert.deepEqual(result.sourceCidrs, ['0.0.0.0/0']);
    assert.equal(result.warnings.length, 3);
    assert.match(result.warnings[0] ?? '', /every port/);
  });

  it('is empty without ingress rules: nothing but what the cloud always allows', () => {
    assert.deepEqual(reduceToAllowlist({}), { sourceCidrs: [], warnings: [] });
  });
});
