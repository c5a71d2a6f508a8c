import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findModel, normalizeGpu, parseGpuSku, variantKey } from '../../src/index.js';

describe('instance SKUs: model, variant and GPU count', () => {
  // [SKU, scheme, variant key, GPUs per instance (null: names no instance), share of one GPU]
  const cases: [string, string, string, number | null, number?][] = [
    ['Standard_ND96asr_v4', 'azure-vm-size', 'A100-40G-SXM4', 8],
    ['Standard_ND96amsr_A100_v4', 'azure-vm-size', 'A100-80G-SXM4', 8],
    ['Standard_NDm_A100_v4', 'azure-series', 'A100-80G-SXM4', null],
    ['StandardNDAMSv4_A100Family', 'azure-series', 'A100-80G-SXM4', null],
    ['Standard_NC48ads_A100_v4', 'azure-vm-size', 'A100-80G-PCIe', 2],
    ['Standard_NC40ads_H100_v5', 'azure-vm-size', 'H100-94G-NVL', 1],
    ['Standard_ND96isr_H200_v5', 'azure-vm-size', 'H200-141G-SXM5', 8],
    ['Standard_NC16as_T4_v3', 'azure-vm-size', 'T4-16G-PCIe', 1],
    ['Standard_NC64as_T4_v3', 'azure-vm-size', 'T4-16G-PCIe', 4],
    ['Standard_NC12s_v3', 'azure-vm-size', 'V100-16G', 2],
    ['Standard_NC6s_v2', 'azure-vm-size', 'P100-16G', 1],
    ['Standard_NC24r', 'azure-vm-size', 'K80-12G-PCIe', 4],
    ['Standard_NV48s_v3', 'azure-vm-size', 'M60-8G-PCIe', 4],
    ['Standard_NV6ads_A10_v5', 'azure-vm-size', 'A10-24G-PCIe', 1, 1 / 6],
    ['Standard_NV72ads_A10_v5', 'azure-vm-size', 'A10-24G-PCIe', 2],
    ['Standard_NV8as_v4', 'azure-vm-size', 'MI25-16G-PCIe', 1, 1 / 4],
    ['BM.GPU.H100.8', 'oci-shape', 'H100-80G-SXM5', 8],
    ['BM.GPU.L40S.4', 'oci-shape', 'L40S-48G-PCIe', 4],
    ['VM.GPU.A10.2', 'oci-shape', 'A10-24G-PCIe', 2],
    ['BM.GPU4.8', 'oci-shape', 'A100-40G-SXM4', 8],
    ['BM.GPU.GM4.8', 'oci-shape', 'A100-80G-SXM4', 8],
    ['VM.GPU3.1', 'oci-shape', 'V100-16G-SXM2', 1],
    ['BM.GPU2.2', 'oci-shape', 'P100-16G-PCIe', 2],
    ['BM.GPU.GB200.4', 'oci-shape', 'GB200-186G-Superchip', 4],
    ['p5.48xlarge', 'aws-instance-type', 'H100-80G-SXM5', 8],
    ['p5e.48xlarge', 'aws-instance-type', 'H200-141G-SXM5', 8],
    ['p4de.24xlarge', 'aws-instance-type', 'A100-80G-SXM4', 8],
    ['p3.2xlarge', 'aws-instance-type', 'V100-16G-SXM2', 1],
    ['p3dn.24xlarge', 'aws-instance-type', 'V100-32G-SXM2', 8],
    ['g6e.48xlarge', 'aws-instance-type', 'L40S-48G-PCIe', 8],
    ['g5.12xlarge', 'aws-instance-type', 'A10G-24G-PCIe', 4],
    ['g4dn.metal', 'aws-instance-type', 'T4-16G-PCIe', 8],
    ['g4ad.8xlarge', 'aws-instance-type', 'V520-8G-PCIe', 2],
    ['g6f.2xlarge', 'aws-instance-type', 'L4-24G-PCIe', 1, 1 / 4],
    ['trn1.32xlarge', 'aws-instance-type', 'TRAINIUM-32G', 16],
    ['a2-megagpu-16g', 'gcp-machine-type', 'A100-40G-SXM4', 16],
    ['a3-megagpu-8g', 'gcp-machine-type', 'H100-80G-SXM5', 8],
    ['a3-highgpu-1g', 'gcp-machine-type', 'H100-80G-SXM5', 1],
    ['g2-standard-96', 'gcp-machine-type', 'L4-24G-PCIe', 8],
    ['nvidia-h100-mega-80gb', 'gcp-accelerator-type', 'H100-80G-SXM5', null],
    ['nvidia-l4-vws', 'gcp-accelerator-type', 'L4-24G-PCIe', null],
    [
      'projects/p/zones/us-east1-b/acceleratorTypes/nvidia-tesla-a100',
      'gcp-accelerator-type',
      'A100-40G-SXM4',
      null,
    ],
    ['gpu-h100x8-640gb', 'digitalocean-slug', 'H100-80G', 8],
    ['gpu-mi300x1-192gb', 'digitalocean-slug', 'MI300X-192G-OAM', 1],
    ['gpu-b300x8-2304gb-spot', 'digitalocean-slug', 'B300-288G-SXM6', 8],
    ['vcg-a100-6c-60g-40vram', 'vultr-plan', 'A100-80G', 1, 1 / 2],
    ['vcg-a100-12c-120g-80vram', 'vultr-plan', 'A100-80G', 1],
    ['vbm-256c-2048gb-8-mi300x-gpu', 'vultr-plan', 'MI300X-192G-OAM', 8],
    ['vbm-72c-480gb-gh200-gpu', 'vultr-plan', 'GH200-96G-Superchip', 1],
  ];
  for (const [text, scheme, key, count, fraction] of cases) {
    it(`${text} → ${count ?? '?'}x ${key}${fraction ? ` (${fraction.toFixed(3)} of one)` : ''}`, () => {
      const sku = parseGpuSku(text);
      assert.equal(sku?.scheme, scheme);
      assert.equal(sku.count, count);
      if (fraction === undefined) assert.equal(sku.fraction, undefined);
      else assert.ok(Math.abs((sku.fraction ?? 0) - fraction) < 1e-9, `fraction ${sku.fraction}`);
      const { record, sku: used } = normalizeGpu(text);
      assert.equal(variantKey(record), key);
      assert.deepEqual(used, sku);
    });
  }

  it('reads nothing into strings that are not SKUs', () => {
    for (const text of [
      'A100',
      'H100 NVL',
      'nvidia-a100', // Outscale's flexible GPU, not a GCP accelerator type
      'nvidia-a100-80',
      'gpu_1x_a100', // Lambda
      'NVIDIA A100 v4',
      'NVL72',
      'Standard_D4s_v5', // a CPU size
      'm5.large',
      'BM.Standard.E4.128',
      'n2-standard-8',
      's-2vcpu-4gb',
      'vc2-1c-2gb',
      '__proto__',
      'constructor',
    ]) {
      assert.equal(parseGpuSku(text), undefined, text);
    }
  });
});

describe('the same card gives the same record whatever the source', () => {
  const skus = [
    'Standard_ND96asr_v4',
    'StandardNDAMSv4_A100Family',
    'BM.GPU.A100-v2.8',
    'p4d.24xlarge',
    'a2-ultragpu-4g',
    'nvidia-tesla-a100',
    'gpu-h100x8-640gb',
    'vcg-a100-1c-6g-4vram',
  ];
  const sources = [
    undefined,
    'aws',
    'azure',
    'gcp',
    'oci',
    'lambda',
    'vultr',
    'skypilot',
    'gpuhunt',
  ];
  for (const text of skus) {
    it(text, () => {
      const records = sources.map((source) =>
        JSON.stringify(normalizeGpu(text, source ? { source } : {}).record),
      );
      assert.equal(new Set(records).size, 1, records.join('\n'));
    });
  }

  it('reads a SKU from the context as it reads it from the string', () => {
    const fields: [string, string][] = [
      ['InstanceType', 'p4de.24xlarge'],
      ['vmSize', 'Standard_NC24ads_A100_v4'],
      ['shape', 'BM.GPU4.8'],
      ['machineType', 'a2-highgpu-8g'],
      ['slug', 'gpu-h100x1-80gb'],
      ['plan', 'vbm-48c-1024gb-4-a100-gpu'],
      ['family', 'standardNDASv4_A100Family'],
    ];
    for (const [key, text] of fields) {
      const fromContext = normalizeGpu('NVIDIA A100', { context: { [key]: text } });
      const fromText = normalizeGpu(text);
      // DigitalOcean's slug names an H100; the context's SKU beats the string's model.
      assert.deepEqual(fromContext.record, fromText.record, `${key}=${text}`);
      assert.equal(fromContext.sku?.count, fromText.sku?.count);
    }
  });
});

describe('memory carried in the context', () => {
  const memoryOf = (raw: string, context: Record<string, unknown>) =>
    normalizeGpu(raw, { context }).record.memoryGiB;

  it('takes strings with units', () => {
    assert.equal(memoryOf('A100', { memory: '80 GB' }), 80);
    assert.equal(memoryOf('A100', { gpu_memory: '40960 MiB' }), 40);
    assert.equal(memoryOf('A100', { vram: '80GiB' }), 80);
    assert.equal(memoryOf('V100', { 'memory.total': '32510 MiB' }), 32);
    assert.equal(memoryOf('A100', { memory: 'unknown' }), null);
  });

  it('takes amount-and-unit objects, and divides an instance total by the count', () => {
    const { record, warnings } = normalizeGpu('nvidia_a100', {
      context: { gpu_info: { count: 8, vram: { amount: 320, unit: 'gib' } } },
    });
    assert.equal(record.memoryGiB, 40);
    assert.ok(warnings.some((w) => w.kind === 'total-instead-of-per-gpu'));
  });

  it('reads EC2 GpuInfo objects, and prefers them over the host memory beside them', () => {
    const gpuInfo = {
      Gpus: [{ Name: 'A100', Manufacturer: 'NVIDIA', Count: 8, MemoryInfo: { SizeInMiB: 81920 } }],
      TotalGpuMemoryInMiB: 655360,
    };
    const alone = normalizeGpu('A100', { context: { GpuInfo: gpuInfo } });
    assert.equal(alone.record.memoryGiB, 80);
    const whole = normalizeGpu('A100', {
      context: { MemoryInfo: { SizeInMiB: 1_179_648 }, GpuInfo: gpuInfo },
    });
    assert.equal(whole.record.memoryGiB, 80);
    assert.deepEqual(whole.warnings, []);
    // Only the total is given: divided by the GPU count.
    const total = normalizeGpu('A100', {
      context: { GpuInfo: { Gpus: [{ Name: 'A100', Count: 8 }], TotalGpuMemoryInMiB: 327680 } },
    });
    assert.equal(total.record.memoryGiB, 40);
  });

  it('takes the GPU name from the GpuInfo object when the string has none', () => {
    const { record } = normalizeGpu('', {
      context: {
        GpuInfo: {
          Gpus: [
            { Name: 'L40S', Manufacturer: 'NVIDIA', Count: 4, MemoryInfo: { SizeInMiB: 45776 } },
          ],
        },
      },
    });
    assert.equal(variantKey(record), 'L40S-48G-PCIe');
  });
});

describe('SKU parsing never invents (property)', () => {
  const piece = fc.constantFrom(
    'Standard',
    'standard',
    'Family',
    'ND',
    'NC',
    'NV',
    'NG',
    'NCC',
    '96',
    '24',
    '6',
    'asr',
    'amsr',
    'ads',
    's',
    'A100',
    'H100',
    'T4',
    'A10',
    'v3',
    'v4',
    'v5',
    'BM',
    'VM',
    'GPU',
    'GPU4',
    'H100',
    'L40S',
    'p5',
    'g6',
    '48xlarge',
    'xlarge',
    'a3',
    'highgpu',
    '8g',
    'gpu',
    'h100x8',
    '640gb',
    'vcg',
    'vbm',
    '4vram',
    'nvidia',
    'tesla',
    '__proto__',
  );
  const separator = fc.constantFrom('_', '.', '-', '', ' ');
  const text = fc
    .array(fc.tuple(piece, separator), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.map(([p, s]) => p + s).join(''));

  it('answers a table model, a positive whole count or none, and a share below one', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 40 })), (candidate) => {
        const sku = parseGpuSku(candidate);
        if (sku === undefined) return;
        assert.ok(findModel(sku.model), `${candidate}: ${sku.model}`);
        assert.ok(sku.count === null || (Number.isInteger(sku.count) && sku.count > 0));
        if (sku.fraction !== undefined) {
          assert.ok(sku.fraction > 0 && sku.fraction < 1);
          assert.equal(sku.count, 1);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
