import { capabilityMismatches, CAPABILITIES } from '@cloudplane/sdk';
import { CheckFailure, expect } from '../outcome.js';
import type { RunState } from '../run-state.js';

export function providerShape(state: RunState): void {
  const p = state.provider;
  expect(
    /^[a-z][a-z0-9-]*$/.test(p.id),
    'provider id must be lowercase letters, digits and "-"',
    'e.g. "mycloud"',
    p.id,
  );
  expect(
    p.pollIntervals.instanceTypesMs >= 1000 && p.pollIntervals.instancesMs >= 500,
    'poll intervals are too short',
    '>= 1000 / 500 ms',
    p.pollIntervals,
  );
  expect(
    Number.isInteger(p.maxCreatesPerMinute) && p.maxCreatesPerMinute >= 1,
    'maxCreatesPerMinute must be a whole number >= 1',
    '>= 1',
    p.maxCreatesPerMinute,
  );
  for (const cap of p.capabilities()) {
    expect(
      (CAPABILITIES as readonly string[]).includes(cap),
      `unknown capability "${cap}"`,
      CAPABILITIES.join(', '),
      cap,
    );
  }
  const parsed = p.credentialSchema.safeParse(state.options.credential);
  if (!parsed.success) {
    throw new CheckFailure(
      'the credential does not parse with provider.credentialSchema',
      'a credential valid for this provider',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  state.credential = parsed.data;
}

export function capabilities(state: RunState): void {
  const client = state.client;
  if (!client) throw new CheckFailure('no client');
  const declared = state.provider.capabilities();
  const { missing, undeclared } = capabilityMismatches(declared, client);
  expect(
    missing.length === 0 && undeclared.length === 0,
    `declared but not implemented: [${missing.join(', ')}]; implemented but not declared: [${undeclared.join(', ')}]`,
    `groups present: [${[...declared].sort().join(', ')}]`,
    { missing, undeclared },
  );
}
