import { generateKeyPairSync } from 'node:crypto';
import type { PlatformInput } from '../../src/proto.js';

/**
 * What the fake Nebius project offers: platforms and presets shaped like Nebius's real ones
 * (names and sizes from Nebius's public documentation of its platforms), one region, one subnet.
 */

export const PROJECT_ID = 'project-e00fake000000000001';
export const REGION = 'eu-north1';
export const SUBNET_ID = 'vpcsubnet-e00fake00000000001';

function platform(
  name: string,
  human: string,
  gpuMemoryGigabytes: number,
  presets: [preset: string, vcpu: number, memoryGiB: number, gpus: number][],
): PlatformInput {
  return {
    metadata: { id: `computeplatform-${name}`, parentId: PROJECT_ID, name },
    spec: {
      humanReadableName: human,
      shortHumanReadableName: human,
      gpuMemoryGigabytes,
      presets: presets.map(([preset, vcpuCount, memoryGibibytes, gpuCount]) => ({
        name: preset,
        resources: { vcpuCount, memoryGibibytes, gpuCount },
      })),
    },
  };
}

export const PLATFORMS: readonly PlatformInput[] = [
  platform('cpu-d3', 'Non-GPU AMD EPYC Genoa', 0, [
    ['4vcpu-16gb', 4, 16, 0],
    ['8vcpu-32gb', 8, 32, 0],
  ]),
  platform('gpu-h100-sxm', 'NVIDIA H100 NVLink with Intel Sapphire Rapids', 80, [
    ['1gpu-16vcpu-200gb', 16, 200, 1],
    ['8gpu-128vcpu-1600gb', 128, 1600, 8],
  ]),
  platform('gpu-h200-sxm', 'NVIDIA H200 NVLink with Intel Sapphire Rapids', 141, [
    ['1gpu-16vcpu-200gb', 16, 200, 1],
    ['8gpu-128vcpu-1600gb', 128, 1600, 8],
  ]),
  platform('gpu-l40s-a', 'NVIDIA L40S PCIe with Intel Ice Lake', 48, [
    ['1gpu-8vcpu-32gb', 8, 32, 1],
  ]),
];

/** The operator's prices for the fake's presets; gpu-l40s-a is deliberately left unpriced. */
export const PRICES = {
  'cpu-d3': { '4vcpu-16gb': '0.12', '8vcpu-32gb': '0.24' },
  'gpu-h100-sxm': { '1gpu-16vcpu-200gb': '2.95', '8gpu-128vcpu-1600gb': '23.60' },
  'gpu-h200-sxm': { '1gpu-16vcpu-200gb': '3.50', '8gpu-128vcpu-1600gb': '28.00' },
};

export interface TestKey {
  readonly serviceAccountId: string;
  readonly publicKeyId: string;
  readonly privateKey: string;
  readonly publicKey: string;
}

/** An RSA key pair like the one Nebius has the operator upload (2048 bits keeps tests fast). */
export function makeServiceAccountKey(suffix = '01'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    serviceAccountId: `serviceaccount-e00fake0000000${suffix}`,
    publicKeyId: `publickey-e00fake00000000${suffix}`,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
