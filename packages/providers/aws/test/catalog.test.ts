import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isCloudError, moneyToDecimal, parseInstanceTypeId } from '@cloudplane/sdk';
import { AwsCredentialSchema, provider } from '../src/index.js';
import type { Ec2Fake } from './fake/ec2-fake.js';
import { clientFor, useFake, withFake } from './helpers.js';

describe('catalog', () => {
  let fake: Ec2Fake;
  useFake({ before, after }, (f) => (fake = f));

  it("lists the region's priced GPU types, normalized, with the operator's prices", async () => {
    const { client } = clientFor(fake, { location: 'us-west-2' });
    const types = await client.getInstanceTypes();
    const byName = new Map(types.map((t) => [t.type, t]));
    assert.deepEqual([...byName.keys()].sort(), [
      'g4dn.12xlarge',
      'g4dn.xlarge',
      'g5.48xlarge',
      'g5.xlarge',
      'g5g.xlarge',
      'p3.2xlarge',
      'p4d.24xlarge',
      'p4de.24xlarge',
    ]);
    const g5 = byName.get('g5.48xlarge');
    assert.ok(g5);
    assert.equal(g5.id, 'us-west-2/g5.48xlarge');
    assert.deepEqual(parseInstanceTypeId(g5.id), { location: 'us-west-2', type: 'g5.48xlarge' });
    assert.equal(g5.location, 'us-west-2');
    assert.equal(g5.vcpu, 192);
    assert.deepEqual(g5.memory, { value: 786432, unit: 'MiB' });
    assert.equal(moneyToDecimal(g5.price), '16.288');
    const [gpu, ...others] = g5.gpus;
    assert.ok(gpu);
    assert.equal(others.length, 0);
    assert.equal(gpu.count, 8);
    assert.equal(gpu.raw, 'A10G');
    assert.equal(gpu.gpu.name, 'A10G');
    assert.equal(gpu.gpu.memoryGiB, 24);
    assert.deepEqual(g5.storage, [
      { kind: 'nvme', count: 2, size: { value: 3800, unit: 'GB' }, elastic: false },
    ]);
    assert.equal(g5.architecture, 'x86_64');
    assert.equal(byName.get('g5g.xlarge')?.architecture, 'arm64');
    assert.equal(byName.get('p4de.24xlarge')?.gpus[0]?.gpu.memoryGiB, 80);
    assert.equal(byName.get('p4d.24xlarge')?.gpus[0]?.gpu.memoryGiB, 40);
    for (const t of types) {
      assert.equal(t.provider, 'aws');
      assert.equal(t.available, true);
      assert.equal(t.stoppable, true);
      assert.equal(t.canModifyFirewallRules, true);
    }
  });

  it('leaves out a type without a price and says so once; never invents one', async () => {
    const { client, logger } = clientFor(fake);
    await client.getInstanceTypes();
    await client.getInstanceTypes();
    assert.ok(!(await client.getInstanceTypes()).some((t) => t.type === 'g4ad.xlarge'));
    const unpriced = logger.entries.filter(
      (e) => e.obj.type === 'g4ad.xlarge' && /no price/.test(e.msg),
    );
    assert.equal(unpriced.length, 1);
    assert.ok(
      !logger.entries.some((e) => e.obj.type === 'm5.large'),
      'a type without GPUs is not a candidate at all',
    );
  });

  it('warns about a price for a type the region does not offer', async () => {
    const credential = fake.credential(['us-east-1']);
    const { client, logger } = clientFor(fake, {
      credential: {
        ...credential,
        prices: { 'us-east-1': { 'p5.48xlarge': '98.32', 'g5.xlarge': '1.006' } },
      },
    });
    const types = await client.getInstanceTypes();
    assert.deepEqual(
      types.map((t) => t.type),
      ['g5.xlarge'],
    );
    assert.ok(
      logger.entries.some((e) => e.obj.type === 'p5.48xlarge' && /does not offer/.test(e.msg)),
    );
  });

  it('asks EC2 only for the GPU families, and honours filters', async () => {
    const { client } = clientFor(fake);
    const before = fake.requests.length;
    const a10 = await client.getInstanceTypes({
      instanceTypes: ['g5.xlarge'],
      locations: ['us-east-1'],
    });
    assert.deepEqual(
      a10.map((t) => t.id),
      ['us-east-1/g5.xlarge'],
    );
    const asked = fake.requests.slice(before).find((r) => r.action === 'DescribeInstanceTypes');
    assert.deepEqual(asked?.input.Filters, [
      { Name: 'instance-type', Values: ['p*', 'g*', 'dl*'] },
    ]);
    assert.deepEqual(
      await client.getInstanceTypes({ locations: ['eu-central-1'] }),
      [],
      'another region is another client',
    );
    assert.deepEqual(await client.getInstanceTypes({ instanceTypes: [] }), []);
    const amd = await client.getInstanceTypes({ gpuManufacturers: ['AMD'] });
    assert.deepEqual(amd, [], 'the AMD type is unpriced');
    const arm = await client.getInstanceTypes({ architectures: ['arm64'] });
    assert.deepEqual(
      arm.map((t) => t.type),
      ['g5g.xlarge'],
    );
  });

  it("reports the credential's regions, marking those EC2 does not enable", async () => {
    const credential = fake.credential(['us-east-1', 'ap-east-1', 'us-west-1']);
    const { client } = clientFor(fake, { credential });
    const locations = await client.getLocations();
    assert.deepEqual(
      locations.map((l) => [l.name, l.available, l.country]),
      [
        ['us-east-1', true, 'US'],
        ['ap-east-1', false, 'HK'],
        ['us-west-1', false, 'US'],
      ],
    );
    assert.match(locations[1]?.description ?? '', /not enabled/);
  });

  it('serves the first region of the credential when made without a location', () => {
    assert.equal(clientFor(fake).client.region, 'us-east-1');
    assert.equal(clientFor(fake, { location: 'eu-central-1' }).client.region, 'eu-central-1');
    assert.throws(
      () => clientFor(fake, { location: 'sa-east-1' }),
      (e: unknown) => isCloudError(e, 'INVALID_ARGUMENT'),
    );
  });
});

describe('catalog pages', () => {
  it('reads every page of DescribeInstanceTypes', async () => {
    await withFake({ pageSize: 3 }, async (fake) => {
      const { client } = clientFor(fake);
      assert.equal((await client.getInstanceTypes()).length, 8);
      assert.equal(
        fake.countRequests('DescribeInstanceTypes'),
        3,
        'the 9 types the family filter matches, in pages of 3',
      );
    });
  });

  it('fails the whole call when one page fails: never a partial catalog', async () => {
    await withFake({ pageSize: 3 }, async (fake) => {
      const { client } = clientFor(fake, { retry: { attempts: 1 } });
      const pages: string[] = [];
      const failSecond: typeof fetch = async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('DescribeInstanceTypes')) pages.push(body);
        if (body.includes('DescribeInstanceTypes') && body.includes('NextToken')) {
          fake.inject('DescribeInstanceTypes', { code: 'InternalError' });
        }
        return fetch(input, init);
      };
      const failing = clientFor(fake, { retry: { attempts: 1 }, fetch: failSecond }).client;
      const err = await failing.getInstanceTypes().catch((e: unknown) => e);
      assert.ok(isCloudError(err, 'INTERNAL'), String(err));
      assert.equal(pages.length, 2);
      assert.equal((await client.getInstanceTypes()).length, 8);
    });
  });
});

describe('credential', () => {
  const base = {
    accessKeyId: 'AKIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    regions: ['us-east-1'],
  };

  it('reads prices exactly, as text or numbers, and defaults the rest', () => {
    const parsed = AwsCredentialSchema.parse({
      ...base,
      prices: { 'us-east-1': { 'g5.xlarge': '1.006', 'p3.2xlarge': 3.06 } },
    });
    const east = parsed.prices['us-east-1'];
    assert.ok(east);
    assert.deepEqual(east['g5.xlarge'], {
      amount: 1006,
      scale: 3,
      currency: 'USD',
    });
    assert.deepEqual(east['p3.2xlarge'], {
      amount: 306,
      scale: 2,
      currency: 'USD',
    });
    assert.equal(parsed.sshUser, 'ubuntu');
    assert.deepEqual(AwsCredentialSchema.parse(base).prices, {});
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    [
      'a price that is not an amount',
      { prices: { 'us-east-1': { 'g5.xlarge': 'cheap' } } },
      /positive USD amount/,
    ],
    ['a zero price', { prices: { 'us-east-1': { 'g5.xlarge': '0' } } }, /positive USD amount/],
    [
      'prices for a region not offered',
      { prices: { 'eu-west-1': { 'g5.xlarge': '1' } } },
      /not in "regions"/,
    ],
    ['a malformed type name', { prices: { 'us-east-1': { G5: '1' } } }, /EC2 instance type/],
    ['no regions', { regions: [] }, /at least one region/],
    ['a region twice', { regions: ['us-east-1', 'us-east-1'] }, /twice/],
    ['a bad region name', { regions: ['mars-1'] }, /region name/],
    ['an unknown field', { secret_access_key: 'x' }, /unknown field/],
    ['a secret with a line break', { secretAccessKey: 'abc\ndef' }, /line breaks/],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}, without echoing the secret`, () => {
      const parsed = AwsCredentialSchema.safeParse({ ...base, ...change });
      assert.equal(parsed.success, false);
      const text = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
      assert.match(text, message);
      assert.doesNotMatch(text, /wJalrXUtnFEMI/);
    });
  }

  it('marks the secret and the session token secret', () => {
    assert.deepEqual([...provider.secretFields].sort(), ['secretAccessKey', 'sessionToken']);
    assert.equal(provider.apiType, 'locational');
    assert.equal(provider.firewallAtCreate, 'native');
    assert.deepEqual([...provider.capabilities()].sort(), [
      'firewall',
      'reboot',
      'stopStart',
      'tags',
    ]);
  });
});
