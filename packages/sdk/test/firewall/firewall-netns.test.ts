import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firewallScript, FIREWALL_INSTALL_PATH, type FirewallRules } from '../../src/index.js';
import {
  CLIENT_IP,
  CLIENT_IP_2,
  CONTAINER_IP,
  INSTANCE_IP,
  NetnsLab,
  requireRootAndTools,
  sh,
} from './netns-lab.js';

const rules: FirewallRules = {
  ingress: [
    { protocol: 'tcp', fromPort: 8000, toPort: 8000, cidrs: ['0.0.0.0/0'] },
    { protocol: 'tcp', fromPort: 9100, toPort: 9100, cidrs: [`${CLIENT_IP_2}/32`] },
    { protocol: 'udp', fromPort: 5300, toPort: 5300, cidrs: ['0.0.0.0/0'] },
    { protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] },
  ],
  egress: [],
};
const script = firewallScript(rules, { extraSshPort: 2222 });

function hostState(): string {
  const ufwFiles = sh('find /etc/ufw -type f | sort | xargs cat 2>/dev/null || true');
  return createHash('sha256')
    .update(sh('iptables-save | grep -v "^#" | sed "s/\\[[0-9]*:[0-9]*\\]//"'))
    .update(ufwFiles)
    .digest('hex');
}

for (const backend of ['iptables', 'ufw'] as const) {
  describe(`boot firewall on a real network stack (${backend})`, () => {
    const lab = new NetnsLab();
    let hostBefore = '';

    before(async () => {
      requireRootAndTools();
      hostBefore = hostState();
      lab.create();
      lab.addDockerLikeContainer({ 8080: 80, 8081: 81 });
      await lab.listen(lab.instance, [22, 2222, 8000, 8001, 9100], [5300, 5301]);
      await lab.listen(lab.container, [80, 81]);
      await lab.listen(lab.client, [9000]);
    });

    after(() => {
      lab.destroy();
      assert.deepEqual(lab.leftovers(), [], 'every namespace and veth is removed');
      assert.equal(
        hostState(),
        hostBefore,
        "the host's own iptables rules and /etc/ufw are untouched",
      );
    });

    it('reaches every port before the firewall (so a block below is the firewall)', () => {
      const before = lab.probe(lab.client, [
        { host: INSTANCE_IP, port: 8001 },
        { host: INSTANCE_IP, port: 9100, from: CLIENT_IP },
        { host: INSTANCE_IP, port: 8081 },
        { host: INSTANCE_IP, port: 5301, udp: true },
      ]);
      assert.deepEqual(before, ['open', 'open', 'open', 'open']);
    });

    it('denies inbound except SSH and the allowed ports, from the allowed CIDRs only', () => {
      lab.applyScript(script, backend);
      const seen = lab.probe(lab.client, [
        { host: INSTANCE_IP, port: 22 },
        { host: INSTANCE_IP, port: 2222 },
        { host: INSTANCE_IP, port: 8000 },
        { host: INSTANCE_IP, port: 8001 },
        { host: INSTANCE_IP, port: 9100, from: CLIENT_IP },
        { host: INSTANCE_IP, port: 9100, from: CLIENT_IP_2 },
        { host: INSTANCE_IP, port: 5300, udp: true },
        { host: INSTANCE_IP, port: 5301, udp: true },
      ]);
      assert.deepEqual(seen, [
        'open',
        'open',
        'open',
        'blocked',
        'blocked',
        'open',
        'open',
        'blocked',
      ]);
      const ufwStatus = lab.in(lab.instance, 'ufw status');
      if (backend === 'ufw') assert.match(ufwStatus, /Status: active[\s\S]*8000\/tcp/);
      else assert.match(ufwStatus, /Status: inactive/);
    });

    it('covers Docker-published ports: allowed one open, other blocked', () => {
      assert.deepEqual(
        lab.probe(lab.client, [
          { host: INSTANCE_IP, port: 8080 },
          { host: INSTANCE_IP, port: 8081 },
        ]),
        ['open', 'blocked'],
      );
    });

    it('keeps outbound open for the instance and for containers', () => {
      assert.deepEqual(lab.probe(lab.instance, [{ host: CLIENT_IP, port: 9000 }]), ['open']);
      assert.deepEqual(lab.probe(lab.container, [{ host: CLIENT_IP, port: 9000 }]), ['open']);
      assert.deepEqual(lab.probe(lab.instance, [{ host: CONTAINER_IP, port: 81 }]), ['open']);
    });

    it('is idempotent: a second run leaves the same rule set', () => {
      const first = lab.rules(lab.instance);
      lab.applyScript(script, backend);
      assert.equal(lab.rules(lab.instance), first);
      assert.deepEqual(lab.probe(lab.client, [{ host: INSTANCE_IP, port: 8001 }]), ['blocked']);
    });

    it('re-applies DOCKER-USER through the installed script, as the docker.service drop-in does', () => {
      const dropIn = join(
        lab.root,
        'etc/systemd/system/docker.service.d/10-cloudplane-firewall.conf',
      );
      assert.match(
        readFileSync(dropIn, 'utf8'),
        /ExecStartPost=\/bin\/sh \/usr\/local\/sbin\/cloudplane-firewall docker-user/,
      );
      assert.ok(existsSync(join(lab.root, 'etc/systemd/system/cloudplane-firewall.service')));
      // Docker restarting: it recreates DOCKER-USER empty (just a RETURN).
      lab.in(lab.instance, 'iptables -F DOCKER-USER && iptables -A DOCKER-USER -j RETURN');
      assert.deepEqual(lab.probe(lab.client, [{ host: INSTANCE_IP, port: 8081 }]), ['open']);
      lab.in(
        lab.instance,
        `CLOUDPLANE_FIREWALL_BACKEND=${backend} sh ${join(lab.root, FIREWALL_INSTALL_PATH)} docker-user`,
      );
      assert.deepEqual(
        lab.probe(lab.client, [
          { host: INSTANCE_IP, port: 8081 },
          { host: INSTANCE_IP, port: 8080 },
        ]),
        ['blocked', 'open'],
      );
    });
  });
}

describe('boot firewall without Docker', () => {
  const lab = new NetnsLab();
  before(() => {
    requireRootAndTools();
    lab.create();
  });
  after(() => {
    lab.destroy();
  });

  it('exits 0 and still firewalls the host', async () => {
    lab.applyScript(script, 'iptables'); // throws on a non-zero exit
    await lab.listen(lab.instance, [8000, 8001]);
    assert.deepEqual(
      lab.probe(lab.client, [
        { host: INSTANCE_IP, port: 8000 },
        { host: INSTANCE_IP, port: 8001 },
      ]),
      ['open', 'blocked'],
    );
  });
});
