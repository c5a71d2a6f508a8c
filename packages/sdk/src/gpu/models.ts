import type { GpuFormFactor, GpuManufacturer, GpuMemoryType } from './record.js';

/**
 * The canonical model table (docs/spec/gpu-normalization.md, section 5) as data. A GPU is the
 * triple (name, memoryGiB, formFactor); only triples listed here exist. memoryType and
 * architecture are looked up here, never parsed from a provider's string.
 */

export const GPU_ARCHITECTURES = [
  'Kepler',
  'Maxwell',
  'Pascal',
  'Volta',
  'Turing',
  'Ampere',
  'Ada Lovelace',
  'Hopper',
  'Blackwell',
  'GCN5 (Vega)',
  'CDNA',
  'CDNA2',
  'CDNA3',
  'CDNA4',
  'RDNA',
  'RDNA2',
  'RDNA3',
  'Gaudi',
  'Gaudi2',
  'Gaudi3',
  'Xe-HPC',
  'TPU v4',
  'TPU v5e',
  'TPU v5p',
  'TPU v6e (Trillium)',
  'Inferentia2',
  'Trainium',
] as const;
export type GpuArchitecture = (typeof GPU_ARCHITECTURES)[number];

export interface GpuVariant {
  readonly memoryGiB: number;
  /** Null where the vendor does not publish the memory generation (TPU v6e, AWS chips). */
  readonly memoryType: GpuMemoryType | null;
  /** Null for accelerators where form factor does not apply (TPU, AWS chips). */
  readonly formFactor: GpuFormFactor | null;
  /** Third-party conversions (a 48 GB RTX 4090): real hardware, flagged. */
  readonly aftermarket?: true;
}

export interface GpuModel {
  readonly name: string;
  readonly product: string;
  readonly manufacturer: GpuManufacturer;
  readonly architecture: GpuArchitecture;
  readonly launchYear: number;
  readonly variants: readonly GpuVariant[];
}

type Row = [
  name: string,
  product: string,
  manufacturer: GpuManufacturer,
  architecture: GpuArchitecture,
  launchYear: number,
  variants: string,
];

/**
 * Variants in the spec's own notation: `GiB TYPE FF[/FF...]`, `;` between variants, `-` for a
 * field that does not apply, a trailing `!` for aftermarket. Parsed once at load, checked below.
 */
const ROWS: readonly Row[] = [
  ['K520', 'GRID K520', 'NVIDIA', 'Kepler', 2013, '4 GDDR5 PCIe'],
  ['K80', 'Tesla K80', 'NVIDIA', 'Kepler', 2014, '12 GDDR5 PCIe'],
  ['M60', 'Tesla M60', 'NVIDIA', 'Maxwell', 2015, '8 GDDR5 PCIe'],
  ['P4', 'Tesla P4', 'NVIDIA', 'Pascal', 2016, '8 GDDR5 PCIe'],
  ['P40', 'Tesla P40', 'NVIDIA', 'Pascal', 2016, '24 GDDR5 PCIe'],
  ['P100', 'Tesla P100', 'NVIDIA', 'Pascal', 2016, '12 HBM2 PCIe; 16 HBM2 PCIe/SXM2'],
  ['P4000', 'Quadro P4000', 'NVIDIA', 'Pascal', 2017, '8 GDDR5 PCIe'],
  ['V100', 'Tesla V100', 'NVIDIA', 'Volta', 2017, '16 HBM2 PCIe/SXM2; 32 HBM2 PCIe/SXM2/SXM3'],
  ['V100S', 'Tesla V100S', 'NVIDIA', 'Volta', 2019, '32 HBM2 PCIe'],
  ['T4', 'Tesla T4', 'NVIDIA', 'Turing', 2018, '16 GDDR6 PCIe'],
  ['QRTX4000', 'Quadro RTX 4000', 'NVIDIA', 'Turing', 2018, '8 GDDR6 PCIe'],
  ['QRTX5000', 'Quadro RTX 5000', 'NVIDIA', 'Turing', 2018, '16 GDDR6 PCIe'],
  ['QRTX6000', 'Quadro RTX 6000', 'NVIDIA', 'Turing', 2018, '24 GDDR6 PCIe'],
  ['QRTX8000', 'Quadro RTX 8000', 'NVIDIA', 'Turing', 2018, '48 GDDR6 PCIe'],
  ['A10', 'NVIDIA A10', 'NVIDIA', 'Ampere', 2021, '24 GDDR6 PCIe'],
  ['A10G', 'NVIDIA A10G', 'NVIDIA', 'Ampere', 2021, '24 GDDR6 PCIe'],
  ['A16', 'NVIDIA A16', 'NVIDIA', 'Ampere', 2021, '16 GDDR6 PCIe'],
  ['A30', 'NVIDIA A30', 'NVIDIA', 'Ampere', 2021, '24 HBM2 PCIe'],
  ['A40', 'NVIDIA A40', 'NVIDIA', 'Ampere', 2020, '48 GDDR6 PCIe'],
  ['A100', 'NVIDIA A100', 'NVIDIA', 'Ampere', 2020, '40 HBM2 SXM4/PCIe; 80 HBM2e SXM4/PCIe'],
  ['A800', 'NVIDIA A800', 'NVIDIA', 'Ampere', 2022, '40 HBM2 SXM4/PCIe; 80 HBM2e SXM4/PCIe'],
  ['RTXA2000', 'NVIDIA RTX A2000', 'NVIDIA', 'Ampere', 2021, '6 GDDR6 PCIe; 12 GDDR6 PCIe'],
  ['RTXA4000', 'NVIDIA RTX A4000', 'NVIDIA', 'Ampere', 2021, '16 GDDR6 PCIe'],
  ['RTXA4500', 'NVIDIA RTX A4500', 'NVIDIA', 'Ampere', 2021, '20 GDDR6 PCIe'],
  ['RTXA5000', 'NVIDIA RTX A5000', 'NVIDIA', 'Ampere', 2021, '24 GDDR6 PCIe'],
  ['RTXA6000', 'NVIDIA RTX A6000', 'NVIDIA', 'Ampere', 2020, '48 GDDR6 PCIe'],
  ['RTX3060', 'GeForce RTX 3060', 'NVIDIA', 'Ampere', 2021, '12 GDDR6 PCIe; 8 GDDR6 PCIe'],
  ['RTX3070', 'GeForce RTX 3070', 'NVIDIA', 'Ampere', 2020, '8 GDDR6 PCIe'],
  ['RTX3080', 'GeForce RTX 3080', 'NVIDIA', 'Ampere', 2020, '10 GDDR6X PCIe; 12 GDDR6X PCIe'],
  ['RTX3080TI', 'GeForce RTX 3080 Ti', 'NVIDIA', 'Ampere', 2021, '12 GDDR6X PCIe'],
  ['RTX3090', 'GeForce RTX 3090', 'NVIDIA', 'Ampere', 2020, '24 GDDR6X PCIe'],
  ['RTX3090TI', 'GeForce RTX 3090 Ti', 'NVIDIA', 'Ampere', 2022, '24 GDDR6X PCIe'],
  ['L4', 'NVIDIA L4', 'NVIDIA', 'Ada Lovelace', 2023, '24 GDDR6 PCIe'],
  ['L20', 'NVIDIA L20', 'NVIDIA', 'Ada Lovelace', 2023, '48 GDDR6 PCIe'],
  ['L40', 'NVIDIA L40', 'NVIDIA', 'Ada Lovelace', 2022, '48 GDDR6 PCIe'],
  ['L40S', 'NVIDIA L40S', 'NVIDIA', 'Ada Lovelace', 2023, '48 GDDR6 PCIe'],
  ['RTX2000ADA', 'NVIDIA RTX 2000 Ada Generation', 'NVIDIA', 'Ada Lovelace', 2024, '16 GDDR6 PCIe'],
  ['RTX4000ADA', 'NVIDIA RTX 4000 Ada Generation', 'NVIDIA', 'Ada Lovelace', 2023, '20 GDDR6 PCIe'],
  ['RTX5000ADA', 'NVIDIA RTX 5000 Ada Generation', 'NVIDIA', 'Ada Lovelace', 2023, '32 GDDR6 PCIe'],
  ['RTX6000ADA', 'NVIDIA RTX 6000 Ada Generation', 'NVIDIA', 'Ada Lovelace', 2022, '48 GDDR6 PCIe'],
  [
    'RTX4060TI',
    'GeForce RTX 4060 Ti',
    'NVIDIA',
    'Ada Lovelace',
    2023,
    '8 GDDR6 PCIe; 16 GDDR6 PCIe',
  ],
  ['RTX4070TI', 'GeForce RTX 4070 Ti', 'NVIDIA', 'Ada Lovelace', 2023, '12 GDDR6X PCIe'],
  ['RTX4080', 'GeForce RTX 4080', 'NVIDIA', 'Ada Lovelace', 2022, '16 GDDR6X PCIe'],
  ['RTX4080SUPER', 'GeForce RTX 4080 SUPER', 'NVIDIA', 'Ada Lovelace', 2024, '16 GDDR6X PCIe'],
  [
    'RTX4090',
    'GeForce RTX 4090',
    'NVIDIA',
    'Ada Lovelace',
    2022,
    '24 GDDR6X PCIe; 48 GDDR6X PCIe !',
  ],
  ['RTX4090D', 'GeForce RTX 4090 D', 'NVIDIA', 'Ada Lovelace', 2023, '24 GDDR6X PCIe'],
  ['H100', 'NVIDIA H100', 'NVIDIA', 'Hopper', 2022, '80 HBM3 SXM5; 80 HBM2e PCIe; 94 HBM3 NVL'],
  ['H800', 'NVIDIA H800', 'NVIDIA', 'Hopper', 2023, '80 HBM3 SXM5; 80 HBM2e PCIe'],
  ['H20', 'NVIDIA H20', 'NVIDIA', 'Hopper', 2024, '96 HBM3 SXM5; 141 HBM3e SXM5'],
  ['H200', 'NVIDIA H200', 'NVIDIA', 'Hopper', 2024, '141 HBM3e SXM5/NVL'],
  [
    'GH200',
    'NVIDIA GH200 Grace Hopper Superchip',
    'NVIDIA',
    'Hopper',
    2023,
    '96 HBM3 Superchip; 144 HBM3e Superchip',
  ],
  ['B200', 'NVIDIA B200', 'NVIDIA', 'Blackwell', 2024, '180 HBM3e SXM6'],
  ['B300', 'NVIDIA B300 (Blackwell Ultra)', 'NVIDIA', 'Blackwell', 2025, '288 HBM3e SXM6'],
  [
    'GB200',
    'NVIDIA GB200 Grace Blackwell Superchip',
    'NVIDIA',
    'Blackwell',
    2024,
    '186 HBM3e Superchip',
  ],
  [
    'GB300',
    'NVIDIA GB300 Grace Blackwell Ultra Superchip',
    'NVIDIA',
    'Blackwell',
    2025,
    '288 HBM3e Superchip',
  ],
  ['RTX5080', 'GeForce RTX 5080', 'NVIDIA', 'Blackwell', 2025, '16 GDDR7 PCIe'],
  ['RTX5090', 'GeForce RTX 5090', 'NVIDIA', 'Blackwell', 2025, '32 GDDR7 PCIe'],
  ['RTXPRO4500', 'NVIDIA RTX PRO 4500 Blackwell', 'NVIDIA', 'Blackwell', 2025, '32 GDDR7 PCIe'],
  ['RTXPRO6000', 'NVIDIA RTX PRO 6000 Blackwell', 'NVIDIA', 'Blackwell', 2025, '96 GDDR7 PCIe'],
  ['MI25', 'Radeon Instinct MI25', 'AMD', 'GCN5 (Vega)', 2017, '16 HBM2 PCIe'],
  ['MI100', 'AMD Instinct MI100', 'AMD', 'CDNA', 2020, '32 HBM2 PCIe'],
  ['MI210', 'AMD Instinct MI210', 'AMD', 'CDNA2', 2022, '64 HBM2e PCIe'],
  ['MI250', 'AMD Instinct MI250', 'AMD', 'CDNA2', 2021, '128 HBM2e OAM'],
  ['MI250X', 'AMD Instinct MI250X', 'AMD', 'CDNA2', 2021, '128 HBM2e OAM'],
  ['MI300X', 'AMD Instinct MI300X', 'AMD', 'CDNA3', 2023, '192 HBM3 OAM'],
  ['MI325X', 'AMD Instinct MI325X', 'AMD', 'CDNA3', 2024, '256 HBM3e OAM'],
  ['MI350X', 'AMD Instinct MI350X', 'AMD', 'CDNA4', 2025, '288 HBM3e OAM'],
  ['MI355X', 'AMD Instinct MI355X', 'AMD', 'CDNA4', 2025, '288 HBM3e OAM'],
  ['V520', 'AMD Radeon Pro V520', 'AMD', 'RDNA', 2020, '8 HBM2 PCIe'],
  ['V620', 'AMD Radeon Pro V620', 'AMD', 'RDNA2', 2021, '32 GDDR6 PCIe'],
  ['RX7900XTX', 'AMD Radeon RX 7900 XTX', 'AMD', 'RDNA3', 2022, '24 GDDR6 PCIe'],
  ['GAUDI', 'Intel (Habana) Gaudi HL-205', 'Intel', 'Gaudi', 2019, '32 HBM2 OAM'],
  ['GAUDI2', 'Intel Gaudi 2 (HL-225)', 'Intel', 'Gaudi2', 2022, '96 HBM2e OAM'],
  [
    'GAUDI3',
    'Intel Gaudi 3 (HL-325L OAM, HL-338 PCIe)',
    'Intel',
    'Gaudi3',
    2024,
    '128 HBM2e OAM/PCIe',
  ],
  ['MAX1550', 'Intel Data Center GPU Max 1550', 'Intel', 'Xe-HPC', 2023, '128 HBM2e OAM'],
  ['MAX1100', 'Intel Data Center GPU Max 1100', 'Intel', 'Xe-HPC', 2023, '48 HBM2e PCIe'],
  ['TPUV4', 'Google Cloud TPU v4', 'Google', 'TPU v4', 2021, '32 HBM2 -'],
  ['TPUV5E', 'Google Cloud TPU v5e', 'Google', 'TPU v5e', 2023, '16 HBM2 -'],
  ['TPUV5P', 'Google Cloud TPU v5p', 'Google', 'TPU v5p', 2023, '95 HBM2e -'],
  ['TPUV6E', 'Google Cloud TPU v6e', 'Google', 'TPU v6e (Trillium)', 2024, '32 - -'],
  ['INFERENTIA2', 'AWS Inferentia2', 'AWS', 'Inferentia2', 2023, '32 - -'],
  ['TRAINIUM', 'AWS Trainium', 'AWS', 'Trainium', 2022, '32 - -'],
];

function parseVariants(text: string): GpuVariant[] {
  return text.split(';').flatMap((part) => {
    const [gib, type, forms, flag] = part.trim().split(/\s+/);
    const memoryType = type === '-' || type === undefined ? null : (type as GpuMemoryType);
    const formFactors =
      forms === '-' || forms === undefined ? [null] : (forms.split('/') as GpuFormFactor[]);
    return formFactors.map((formFactor) => ({
      memoryGiB: Number(gib),
      memoryType,
      formFactor,
      ...(flag === '!' ? { aftermarket: true as const } : {}),
    }));
  });
}

export const GPU_MODELS: readonly GpuModel[] = ROWS.map(
  ([name, product, manufacturer, architecture, launchYear, variants]) => ({
    name,
    product,
    manufacturer,
    architecture,
    launchYear,
    variants: parseVariants(variants),
  }),
);

const BY_NAME = new Map(GPU_MODELS.map((m) => [m.name, m]));

export function findModel(name: string): GpuModel | undefined {
  return BY_NAME.get(name.toUpperCase());
}

export function variantsOf(name: string): readonly GpuVariant[] {
  return findModel(name)?.variants ?? [];
}

/** `A100-80G-SXM4`, `TPUV4-32G`: the spec's string form of a variant, for ids and logs. */
export function variantKey(record: {
  name: string | null;
  memoryGiB: number | null;
  formFactor: GpuFormFactor | null;
}): string {
  return [
    record.name ?? '?',
    record.memoryGiB === null ? '?' : `${record.memoryGiB}G`,
    record.formFactor ?? '',
  ]
    .filter((part) => part !== '')
    .join('-');
}

/**
 * True when the record names a variant of the table: a complete triple must be listed, and a
 * partial one (nulls) must fit at least one listed variant with the table's memoryType,
 * architecture and manufacturer wherever those are filled.
 */
export function isLegalVariant(record: {
  name: string | null;
  manufacturer: GpuManufacturer | null;
  memoryGiB: number | null;
  memoryType: GpuMemoryType | null;
  formFactor: GpuFormFactor | null;
  architecture: string | null;
}): boolean {
  const models =
    record.name === null ? GPU_MODELS : [findModel(record.name)].filter((m) => m !== undefined);
  return models.some(
    (model) =>
      (record.manufacturer === null || record.manufacturer === model.manufacturer) &&
      (record.architecture === null || record.architecture === model.architecture) &&
      (record.name !== null || record.architecture === null) &&
      model.variants.some(
        (v) =>
          (record.memoryGiB === null || record.memoryGiB === v.memoryGiB) &&
          (record.formFactor === null || record.formFactor === v.formFactor) &&
          (record.memoryType === null || record.memoryType === v.memoryType),
      ),
  );
}
