import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { nebiusApi } from '../src/proto.js';
import { checkCreateRequest } from './fake/checks.js';
import { NebiusFake } from './fake/nebius-fake.js';

describe('the fake', () => {
  const started: NebiusFake[] = [];
  after(async () => {
    for (const fake of started) await fake.close();
  });

  it('names each buf.validate rule a create request breaks', () => {
    const problems = checkCreateRequest({
      metadata: { parentId: 'project-e00x', name: 'x' },
      spec: {
        resources: { platform: 'cpu-d3', preset: '' },
        networkInterfaces: [{ subnetId: '', name: 'Eth 0', ipAddress: null }],
        bootDisk: null,
        cloudInitUserData: '',
        hostname: '',
      },
    });
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      [
        'spec.resources.size',
        'spec.network_interfaces[0].subnet_id',
        'spec.network_interfaces[0].name',
        'spec.network_interfaces[0].ip_address',
        'spec.boot_disk',
        'spec.boot_disk.attach_mode',
        'spec.boot_disk.type',
      ],
    );
  });

  it('answers an unauthenticated call with UNAUTHENTICATED over a real gRPC wire', async () => {
    const fake = await NebiusFake.start();
    started.push(fake);
    const address = fake.credential({
      serviceAccountId: 'serviceaccount-e00a',
      publicKeyId: 'publickey-e00a',
      privateKey: '',
      publicKey: '',
    }).endpoints as { compute: string };
    const Ctor = nebiusApi().nebius.compute.v1.InstanceService;
    const stub = new Ctor(address.compute, grpc.credentials.createInsecure());
    try {
      const code = await new Promise<number | undefined>((resolve) => {
        stub.get({ id: 'computeinstance-e00x' }, (err) => {
          resolve(err?.code);
        });
      });
      assert.equal(code, grpc.status.UNAUTHENTICATED);
    } finally {
      stub.close();
    }
  });
});
