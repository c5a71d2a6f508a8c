import type { GpuFormFactor } from '../record.js';
import { lookup, sku, type GpuSku } from './sku.js';

/**
 * EC2 instance types, `<family>.<size>`: each accelerated family is one hardware configuration,
 * and the size fixes the GPU count. Source: docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
 * (accelerated computing specifications) and the family pages (P5, P4d, P3, G6, G6e, G6f, G5,
 * G5g, G4dn, G4ad, Trn1, Inf2, DL1). DescribeInstanceTypes reports the same count in
 * `GpuInfo.Gpus[].Count`; this table lets adapters that only see the type name get it too.
 */

interface Family {
  readonly pattern: RegExp;
  readonly model: string;
  readonly memoryGiB: number;
  readonly formFactor?: GpuFormFactor;
  /** GPUs by size (`48xlarge` → 8). A size below 1 is a slice of one GPU. */
  readonly counts: Readonly<Record<string, number>>;
}

/** G4dn/G5/G6/G6e: one GPU up to 16xlarge, four at 12x/24xlarge, eight at 48xlarge. */
const G_SERIES = {
  xlarge: 1,
  '2xlarge': 1,
  '4xlarge': 1,
  '8xlarge': 1,
  '16xlarge': 1,
  '12xlarge': 4,
  '24xlarge': 4,
  '48xlarge': 8,
};

const FAMILIES: readonly Family[] = [
  {
    pattern: /^p6-b300$/,
    model: 'B300',
    memoryGiB: 288,
    formFactor: 'SXM6',
    counts: { '48xlarge': 8 },
  },
  {
    pattern: /^p6-b200$/,
    model: 'B200',
    memoryGiB: 180,
    formFactor: 'SXM6',
    counts: { '48xlarge': 8 },
  },
  {
    pattern: /^p5en?$/,
    model: 'H200',
    memoryGiB: 141,
    formFactor: 'SXM5',
    counts: { '48xlarge': 8 },
  },
  {
    pattern: /^p5$/,
    model: 'H100',
    memoryGiB: 80,
    formFactor: 'SXM5',
    counts: { '4xlarge': 1, '48xlarge': 8 },
  },
  {
    pattern: /^p4de$/,
    model: 'A100',
    memoryGiB: 80,
    formFactor: 'SXM4',
    counts: { '24xlarge': 8 },
  },
  { pattern: /^p4d$/, model: 'A100', memoryGiB: 40, formFactor: 'SXM4', counts: { '24xlarge': 8 } },
  {
    pattern: /^p3dn$/,
    model: 'V100',
    memoryGiB: 32,
    formFactor: 'SXM2',
    counts: { '24xlarge': 8 },
  },
  {
    pattern: /^p3$/,
    model: 'V100',
    memoryGiB: 16,
    formFactor: 'SXM2',
    counts: { '2xlarge': 1, '8xlarge': 4, '16xlarge': 8 },
  },
  {
    pattern: /^p2$/,
    model: 'K80',
    memoryGiB: 12,
    formFactor: 'PCIe',
    counts: { xlarge: 1, '8xlarge': 8, '16xlarge': 16 },
  },
  {
    pattern: /^g7e$/,
    model: 'RTXPRO6000',
    memoryGiB: 96,
    formFactor: 'PCIe',
    counts: {
      '2xlarge': 1,
      '4xlarge': 1,
      '8xlarge': 1,
      '12xlarge': 2,
      '24xlarge': 4,
      '48xlarge': 8,
    },
  },
  { pattern: /^g6e$/, model: 'L40S', memoryGiB: 48, formFactor: 'PCIe', counts: G_SERIES },
  // G6f sells fractions of one L4.
  {
    pattern: /^gr?6f$/,
    model: 'L4',
    memoryGiB: 24,
    formFactor: 'PCIe',
    counts: { large: 0.125, xlarge: 0.125, '2xlarge': 0.25, '4xlarge': 0.5 },
  },
  { pattern: /^gr?6$/, model: 'L4', memoryGiB: 24, formFactor: 'PCIe', counts: G_SERIES },
  {
    pattern: /^g5g$/,
    model: 'T4',
    memoryGiB: 16,
    formFactor: 'PCIe',
    counts: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 2, metal: 2 },
  },
  { pattern: /^g5$/, model: 'A10G', memoryGiB: 24, formFactor: 'PCIe', counts: G_SERIES },
  {
    pattern: /^g4dn$/,
    model: 'T4',
    memoryGiB: 16,
    formFactor: 'PCIe',
    counts: { ...G_SERIES, metal: 8 },
  },
  {
    pattern: /^g4ad$/,
    model: 'V520',
    memoryGiB: 8,
    formFactor: 'PCIe',
    counts: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 2, '16xlarge': 4 },
  },
  {
    pattern: /^g3s?$/,
    model: 'M60',
    memoryGiB: 8,
    formFactor: 'PCIe',
    counts: { xlarge: 1, '4xlarge': 1, '8xlarge': 2, '16xlarge': 4 },
  },
  {
    pattern: /^trn1n?$/,
    model: 'TRAINIUM',
    memoryGiB: 32,
    counts: { '2xlarge': 1, '32xlarge': 16 },
  },
  {
    pattern: /^inf2$/,
    model: 'INFERENTIA2',
    memoryGiB: 32,
    counts: { xlarge: 1, '8xlarge': 1, '24xlarge': 6, '48xlarge': 12 },
  },
  { pattern: /^dl1$/, model: 'GAUDI', memoryGiB: 32, formFactor: 'OAM', counts: { '24xlarge': 8 } },
];

const INSTANCE_TYPE = /^([a-z0-9-]+)\.((?:\d*x?large)|metal(?:-\d+xl)?)$/;

export function parseAws(text: string): GpuSku | undefined {
  const match = INSTANCE_TYPE.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const [, familyName = '', size = ''] = match;
  const family = FAMILIES.find((f) => f.pattern.test(familyName));
  if (!family) return undefined;
  const gpus = lookup(family.counts, size);
  const slice = gpus !== undefined && gpus < 1;
  return sku('aws-instance-type', family.model, gpus === undefined ? null : slice ? 1 : gpus, {
    memoryGiB: family.memoryGiB,
    formFactor: family.formFactor,
    fraction: slice ? gpus : undefined,
  });
}
