import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  GPU_MODELS,
  GPU_WARNING_KINDS,
  isLegalVariant,
  normalizeGpu,
  variantKey,
  type GpuRecord,
} from '../../src/index.js';
import { loadCorpus } from './corpus.js';

describe('GPU corpus', () => {
  const rows = loadCorpus();

  it('has the rows we expect to check', () => {
    assert.ok(rows.length >= 200, `only ${rows.length} rows`);
  });

  it('normalizes every public corpus row exactly, nulls included', () => {
    const misses = rows.flatMap((row) => {
      const { record } = normalizeGpu(row.raw, {
        source: row.source,
        ...(row.context ? { context: row.context } : {}),
      });
      return JSON.stringify(record) === JSON.stringify(row.expect)
        ? []
        : [
            `${row.source} ${JSON.stringify(row.raw)}: got ${JSON.stringify(record)}, want ${JSON.stringify(row.expect)}`,
          ];
    });
    assert.deepEqual(misses, [], `${rows.length - misses.length}/${rows.length} rows match`);
  });
});

function assertLegal(record: GpuRecord, raw: string): void {
  assert.ok(
    isLegalVariant(record),
    `${JSON.stringify(raw)} gave ${variantKey(record)} ${JSON.stringify(record)}, which is not in the table`,
  );
  if (record.name !== null) {
    const model = GPU_MODELS.find((m) => m.name === record.name);
    assert.equal(record.manufacturer, model?.manufacturer);
    assert.equal(record.architecture, model?.architecture);
  }
}

describe('never a variant outside the table (property)', () => {
  const modelWords = GPU_MODELS.flatMap((m) => [m.name, m.product, m.name.toLowerCase()]);
  const extras = [
    'SXM',
    'SXM4',
    'SXM5',
    'SXM6',
    'PCIe',
    'NVL',
    'NVLINK',
    'HBM3',
    'HBM2e',
    'GDDR6X',
    '80GB',
    '40GB',
    '24GB',
    '16G',
    '141gb',
    '8x',
    'x8',
    'MIG',
    'OAM',
    'Ada',
    'Ti',
    'SUPER',
    'Max-Q',
    'vws',
    '1g.5gb',
    '480GB',
    'Tesla',
    'NVIDIA',
    'AMD',
    'Instinct',
    'Quadro',
  ];
  const sources = [
    'aws',
    'gcp',
    'azure',
    'oci',
    'lambda',
    'vultr',
    'nebius',
    'skypilot',
    'gpuhunt',
    'ray',
    'runpod',
    'vast',
    'lspci',
    'nvidia-smi',
    'shadeform',
    'other',
  ];
  const word = fc.constantFrom(...modelWords, ...extras);
  const separator = fc.constantFrom(' ', '-', '_', '.', '/', '', ' [', '] ');
  const composed = fc
    .array(fc.tuple(word, separator), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.map(([w, s]) => w + s).join(''));
  const context = fc.record(
    {
      'MemoryInfo.SizeInMiB': fc.integer({ min: 1, max: 2_000_000 }),
      memoryInGb: fc.integer({ min: 1, max: 2000 }),
      Count: fc.integer({ min: 1, max: 16 }),
      InstanceType: fc.constantFrom(
        'p5.48xlarge',
        'g5.xlarge',
        'p4d.24xlarge',
        'g6e.12xlarge',
        'm5.large',
      ),
      interconnect: fc.constantFrom('SXM', 'PCIe', 'NVLink'),
    },
    { requiredKeys: [] },
  );

  it('holds for compositions of model names, form factors, memory words and contexts', () => {
    fc.assert(
      fc.property(composed, fc.constantFrom(...sources), context, (raw, source, ctx) => {
        const { record, warnings } = normalizeGpu(raw, { source, context: ctx });
        assertLegal(record, raw);
        for (const w of warnings) assert.ok(GPU_WARNING_KINDS.includes(w.kind));
      }),
      { numRuns: 3000 },
    );
  });

  it('holds for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom(...sources), (raw, source) => {
        assertLegal(normalizeGpu(raw, { source }).record, raw);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('models that appear only in the table', () => {
  const cases: [
    string,
    Record<string, unknown> | undefined,
    string,
    number | null,
    string | null,
  ][] = [
    ['GRID K520', undefined, 'K520', 4, 'PCIe'],
    ['Tesla V100S-PCIE-32GB', undefined, 'V100S', 32, 'PCIe'],
    ['Quadro RTX 5000', undefined, 'QRTX5000', 16, 'PCIe'],
    ['NVIDIA A30', undefined, 'A30', 24, 'PCIe'],
    ['NVIDIA RTX A2000 12GB', undefined, 'RTXA2000', 12, 'PCIe'],
    ['NVIDIA GeForce RTX 3060', { 'memory.total_mib': 12288 }, 'RTX3060', 12, 'PCIe'],
    ['NVIDIA GeForce RTX 3090 Ti', undefined, 'RTX3090TI', 24, 'PCIe'],
    ['NVIDIA GeForce RTX 4060 Ti', { 'memory.total_mib': 16380 }, 'RTX4060TI', 16, 'PCIe'],
    ['NVIDIA GeForce RTX 4070 Ti', undefined, 'RTX4070TI', 12, 'PCIe'],
    ['NVIDIA GeForce RTX 5080', undefined, 'RTX5080', 16, 'PCIe'],
    ['NVIDIA RTX 5000 Ada Generation', undefined, 'RTX5000ADA', 32, 'PCIe'],
    ['NVIDIA H800 PCIe', undefined, 'H800', 80, 'PCIe'],
    ['NVIDIA H20', { 'memory.total_mib': 97871 }, 'H20', 96, 'SXM5'],
    ['AMD Instinct MI210', undefined, 'MI210', 64, 'PCIe'],
    ['AMD Instinct MI355X OAM', undefined, 'MI355X', 288, 'OAM'],
    ['AMD Radeon PRO V620', undefined, 'V620', 32, 'PCIe'],
    ['HL-325L', undefined, 'GAUDI3', 128, 'OAM'],
    ['Intel(R) Data Center GPU Max 1100', undefined, 'MAX1100', 48, 'PCIe'],
    ['tpu-v5p-slice', undefined, 'TPUV5P', 95, null],
    ['Inferentia2', undefined, 'INFERENTIA2', 32, null],
    ['NVIDIA RTX PRO 4500 Blackwell', undefined, 'RTXPRO4500', 32, 'PCIe'],
    ['nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3', undefined, 'H100', 80, 'SXM5'],
  ];
  for (const [raw, context, name, memoryGiB, formFactor] of cases) {
    it(`${raw} → ${name}`, () => {
      const { record } = normalizeGpu(raw, context ? { context } : {});
      assert.deepEqual(
        [record.name, record.memoryGiB, record.formFactor],
        [name, memoryGiB, formFactor],
      );
      assertLegal(record, raw);
    });
  }
});

describe('warnings', () => {
  const kindsOf = (raw: string, source?: string, context?: Record<string, unknown>) =>
    normalizeGpu(raw, {
      ...(source ? { source } : {}),
      ...(context ? { context } : {}),
    }).warnings.map((w) => w.kind);

  it('reports an unknown model instead of guessing or dropping it', () => {
    const { record, warnings } = normalizeGpu('Acme Tensor Blaster 9000');
    assert.equal(record.name, null);
    assert.deepEqual(
      warnings.map((w) => w.kind),
      ['unknown-model'],
    );
  });
  it('names each known failure mode', () => {
    assert.ok(
      kindsOf('L40S', 'aws', { 'MemoryInfo.SizeInMiB': 366211, Count: 8 }).includes(
        'total-instead-of-per-gpu',
      ),
    );
    assert.ok(
      kindsOf('gpu-h100-sxm_8gpu-128vcpu-1600gb', 'skypilot').includes('host-ram-in-gpu-field'),
    );
    assert.ok(
      kindsOf('PRO 6000 MIG 24GB', 'runpod', { memoryInGb: 24 }).includes('fractional-gpu'),
    );
    assert.ok(kindsOf('Quadro_RTX_6000_16GB', 'fluidstack').includes('name-memory-conflict'));
    assert.ok(kindsOf('RTX 4090', 'vast', { gpu_ram_mib: 49140 }).includes('aftermarket'));
    assert.ok(kindsOf('Tesla K80', 'outscale', { vram_mib: 24000 }).includes('per-board-memory'));
    assert.ok(kindsOf('NVIDIA RTX 6000 Ada Gene...').includes('truncated-name'));
    assert.ok(
      kindsOf('excesssupply_B200-sxm5x8-NVLINK', 'skypilot').includes('form-factor-conflict'),
    );
    assert.ok(kindsOf('RTX 6000').includes('ambiguous-model'));
  });
  it('keeps provider-scoped meanings apart', () => {
    assert.equal(normalizeGpu('gpu_1x_rtx6000', { source: 'lambda' }).record.name, 'QRTX6000');
    assert.equal(normalizeGpu('gpu-rtx6000', { source: 'nebius' }).record.name, 'RTXPRO6000');
    assert.equal(normalizeGpu('A100', { source: 'vultr' }).record.memoryGiB, 80);
    assert.equal(normalizeGpu('A100', { source: 'lambda' }).record.memoryGiB, 40);
    assert.equal(normalizeGpu('A100').record.memoryGiB, null);
  });
});
