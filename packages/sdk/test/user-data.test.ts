import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  composeUserData,
  detectUserDataKind,
  firewallScript,
  generateSshKeyPair,
  isCloudError,
  KEYS_MERGE_HOW,
  USER_DATA_PART_FILES,
} from '../src/index.js';

/**
 * The composer's output is read back with a small MIME reader written for this test (the way
 * cloud-init's email parser reads it: boundary from the top header, parts split on
 * "\n--boundary", headers up to the first blank line), so every test checks what cloud-init
 * would see, not the text we happened to write.
 */

interface ParsedPart {
  readonly headers: Record<string, string>;
  readonly body: string;
}

function readMultipart(document: string): { boundary: string; parts: ParsedPart[] } {
  const [head = '', ...rest] = document.split('\n\n');
  const boundary = /boundary="([^"]+)"/.exec(head)?.[1];
  assert.ok(boundary, 'the top header names a boundary');
  assert.match(head, /^Content-Type: multipart\/mixed; /);
  assert.match(head, /\nMIME-Version: 1\.0$/);
  const afterHead = rest.join('\n\n');
  assert.ok(afterHead.startsWith(`--${boundary}\n`), 'the first part follows the header');
  assert.ok(document.endsWith(`\n--${boundary}--\n`), 'the document ends with the close marker');
  const inner = afterHead.slice(`--${boundary}\n`.length, -`\n--${boundary}--\n`.length);
  const parts = inner.split(`\n--${boundary}\n`).map((chunk) => {
    const blank = chunk.indexOf('\n\n');
    assert.ok(blank > 0, 'a part has headers and a body');
    const headers: Record<string, string> = {};
    for (const line of chunk.slice(0, blank).split('\n')) {
      const at = line.indexOf(': ');
      headers[line.slice(0, at).toLowerCase()] = line.slice(at + 2);
    }
    return { headers, body: chunk.slice(blank + 2) };
  });
  return { boundary, parts };
}

const typeOf = (p: ParsedPart) => p.headers['content-type']?.split(';')[0];
const fileOf = (p: ParsedPart) =>
  /filename="([^"]+)"/.exec(p.headers['content-disposition'] ?? '')?.[1];

/** Our cloud-config part's document (JSON after the "#cloud-config" line). */
function keysDocument(part: ParsedPart | undefined): {
  ssh_authorized_keys: string[];
  merge_how: unknown;
} {
  assert.ok(part);
  const [first, ...json] = part.body.split('\n');
  assert.equal(first, '#cloud-config');
  return JSON.parse(json.join('\n')) as { ssh_authorized_keys: string[]; merge_how: unknown };
}

const alice = generateSshKeyPair('alice').publicKey;
const bob = generateSshKeyPair('bob').publicKey;
const FIREWALL = firewallScript({
  ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] }],
  egress: [],
});

describe('composeUserData', () => {
  it('authorizes one key in a cloud-config part that appends to lists', () => {
    const { parts } = readMultipart(composeUserData({ sshAuthorizedKeys: [alice] }));
    assert.equal(parts.length, 1);
    const [keys] = parts;
    assert.ok(keys);
    assert.equal(typeOf(keys), 'text/cloud-config');
    assert.equal(fileOf(keys), USER_DATA_PART_FILES.keys);
    const document = keysDocument(keys);
    assert.deepEqual(document.ssh_authorized_keys, [alice]);
    assert.deepEqual(document.merge_how, KEYS_MERGE_HOW);
  });

  it('authorizes many keys, trimmed, each once, in the order given', () => {
    const { parts } = readMultipart(
      composeUserData({ sshAuthorizedKeys: [`  ${bob}\n`, alice, bob] }),
    );
    assert.deepEqual(keysDocument(parts[0]).ssh_authorized_keys, [bob, alice]);
  });

  it('runs the firewall before the user script: part order and file names agree', () => {
    const script = '#!/bin/bash\necho hello > /tmp/hello\n';
    const { parts } = readMultipart(
      composeUserData({ sshAuthorizedKeys: [alice], userData: script, firewallScript: FIREWALL }),
    );
    assert.deepEqual(parts.map(typeOf), [
      'text/cloud-config',
      'text/x-shellscript',
      'text/x-shellscript',
    ]);
    const [, firewall, user] = parts;
    assert.ok(firewall && user);
    assert.equal(firewall.body, FIREWALL);
    assert.equal(user.body, script);
    // cloud-init runs x-shellscript parts sorted by file name.
    const names = [fileOf(firewall), fileOf(user)];
    assert.deepEqual([...names].sort(), names);
  });

  it("puts the user's cloud-config first, unchanged, so ours merges into it", () => {
    const config = '#cloud-config\nssh_authorized_keys:\n  - ' + bob + '\npackages: [htop]\n';
    const { parts } = readMultipart(
      composeUserData({ sshAuthorizedKeys: [alice], userData: config, firewallScript: FIREWALL }),
    );
    assert.deepEqual(parts.map(fileOf), [
      USER_DATA_PART_FILES.userCloudConfig,
      USER_DATA_PART_FILES.keys,
      USER_DATA_PART_FILES.firewall,
    ]);
    assert.equal(parts[0]?.body, config);
    assert.deepEqual(keysDocument(parts[1]).ssh_authorized_keys, [alice]);
  });

  it('keeps bodies byte for byte, with or without a last line break, and UTF-8 text', () => {
    for (const script of [
      '#!/bin/sh\necho ünïcödé',
      '#!/bin/sh\necho x\n\n',
      '#!/bin/sh\r\nid\r\n',
    ]) {
      const { parts } = readMultipart(
        composeUserData({ sshAuthorizedKeys: [alice], userData: script }),
      );
      assert.equal(parts.at(-1)?.body, script);
    }
    const { parts } = readMultipart(
      composeUserData({
        sshAuthorizedKeys: [alice],
        userData: '#cloud-config\r\nruncmd: [id]\r\n',
      }),
    );
    assert.equal(parts[0]?.body, '#cloud-config\r\nruncmd: [id]\r\n');
  });

  it('leaves out empty user data and an empty firewall script', () => {
    const { parts } = readMultipart(
      composeUserData({ sshAuthorizedKeys: [alice], userData: '  \n', firewallScript: '' }),
    );
    assert.deepEqual(parts.map(fileOf), [USER_DATA_PART_FILES.keys]);
  });

  it('is deterministic, and the boundary depends on the content and occurs in no part', () => {
    const input = {
      sshAuthorizedKeys: [alice],
      userData: '#!/bin/sh\nid\n',
      firewallScript: FIREWALL,
    };
    const once = composeUserData(input);
    assert.equal(composeUserData(input), once);
    const other = composeUserData({ ...input, userData: '#!/bin/sh\nuname\n' });
    const b1 = readMultipart(once).boundary;
    const b2 = readMultipart(other).boundary;
    assert.notEqual(b1, b2);
    // A script that quotes the boundary of a nearby input still cannot break its own document.
    const quoting = composeUserData({ ...input, userData: `#!/bin/sh\necho '--${b1}'\n` });
    const read = readMultipart(quoting);
    assert.equal(read.parts.length, 3);
    for (const part of read.parts) assert.ok(!part.body.includes(read.boundary));
  });

  it('refuses what it cannot merge, saying what to give instead', () => {
    const refusals: [string, RegExp][] = [
      ['Content-Type: multipart/mixed; boundary="x"\n\n--x--\n', /already a MIME multi-part/],
      ['#include\nhttps://example.com/a\n', /#include/],
      ['#cloud-boothook\n#!/bin/sh\n', /#cloud-boothook/],
      ['#cloud-config-archive\n- type: text/x-shellscript\n', /#cloud-config-archive/],
      ['#part-handler\n', /#part-handler/],
      ['\u001f\u008b\u0008compressed', /binary/],
      ['echo no shebang\n', /neither a shell script .* nor a "#cloud-config"/],
      ['#cloud-configuration\n', /neither/],
    ];
    for (const [userData, why] of refusals) {
      assert.throws(
        () => composeUserData({ sshAuthorizedKeys: [alice], userData }),
        (err: unknown) => isCloudError(err, 'INVALID_ARGUMENT') && why.test(err.message),
        JSON.stringify(userData.slice(0, 30)),
      );
    }
  });

  it('refuses no key, a key that does not parse, a private key, and a firewall without "#!"', () => {
    const cases: [Parameters<typeof composeUserData>[0], RegExp][] = [
      [{ sshAuthorizedKeys: [] }, /at least one/],
      [{ sshAuthorizedKeys: ['ssh-ed25519 not-base64!'] }, /SSH key #1 cannot be authorized/],
      [
        { sshAuthorizedKeys: [alice, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n'] },
        /SSH key #2 .*private SSH key/,
      ],
      [{ sshAuthorizedKeys: [alice], firewallScript: 'ufw enable' }, /must be a shell script/],
    ];
    for (const [input, why] of cases) {
      assert.throws(
        () => composeUserData(input),
        (err: unknown) => isCloudError(err, 'INVALID_ARGUMENT') && why.test(err.message),
      );
    }
  });
});

describe('detectUserDataKind', () => {
  it('reads the first line as cloud-init does', () => {
    assert.equal(detectUserDataKind('#!/usr/bin/env python3\nprint(1)\n'), 'shell-script');
    assert.equal(detectUserDataKind('#cloud-config\n{}\n'), 'cloud-config');
    assert.equal(detectUserDataKind('#cloud-config  \r\nruncmd: []\n'), 'cloud-config');
    assert.throws(() => detectUserDataKind(' #!/bin/sh\n'), /neither/);
  });
});
