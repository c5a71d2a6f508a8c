import type { GpuFormFactor } from '../record.js';
import { countFromVcpus, lookup, sku, type GpuSku } from './sku.js';

/**
 * Azure VM sizes (`Standard_ND96asr_v4`), series names (`NDm_A100_v4`, `NCasT4_v3`) and the quota
 * family names the usage and SKU APIs report (`StandardNDAMSv4_A100Family`), read with Azure's
 * published naming convention: family `N` + sub-family (`C` compute, `D` deep learning, `V`
 * visualisation, `G` gaming, `CC` confidential) + vCPU count + additive feature letters (`a` AMD,
 * `d` local disk, `s` premium storage, `r` RDMA, `m` memory-heavy, `i` isolated ...) + accelerator
 * + version. Quota families put the version before the accelerator, so both orders are accepted.
 * Source: learn.microsoft.com/azure/virtual-machines/vm-naming-conventions and the GPU size-series
 * pages under learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/.
 */

interface Series {
  readonly subFamily: 'nc' | 'ncc' | 'nd' | 'nv' | 'ng';
  /** The accelerator token of the name, or '' where the series name has none (`NC6s_v3`). */
  readonly accelerator: string;
  /** '' for the first generation, which has no version suffix (`NC6`, `ND6s`, `NV6`). */
  readonly version: string;
  /** Tells apart series that share the rest (`m` marks the 80 GB NDm A100 v4). */
  readonly feature?: RegExp;
  readonly model: string;
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
  /** vCPUs per whole GPU; below it a size is a slice of one GPU. */
  readonly vcpusPerGpu?: number;
  /** GPU counts by vCPU where the series does not scale linearly. */
  readonly countByVcpus?: Readonly<Record<number, number>>;
  /** All sizes of the series have this many GPUs. */
  readonly fixedCount?: number;
}

const SERIES: readonly Series[] = [
  // NC (v1): half a K80 board per GPU, which Azure counts as one GPU.
  { subFamily: 'nc', accelerator: '', version: '', model: 'K80', vcpusPerGpu: 6 },
  { subFamily: 'nc', accelerator: '', version: 'v2', model: 'P100', memoryGiB: 16, vcpusPerGpu: 6 },
  // NCv3's V100 is 16 GB; Microsoft does not say PCIe or SXM2, so the form factor stays open.
  { subFamily: 'nc', accelerator: '', version: 'v3', model: 'V100', memoryGiB: 16, vcpusPerGpu: 6 },
  {
    subFamily: 'nc',
    accelerator: 't4',
    version: 'v3',
    model: 'T4',
    countByVcpus: { 4: 1, 8: 1, 16: 1, 64: 4 },
  },
  {
    subFamily: 'nc',
    accelerator: 'a10',
    version: 'v4',
    model: 'A10',
    countByVcpus: { 8: 1, 16: 1, 32: 2 },
  },
  {
    subFamily: 'nc',
    accelerator: 'a100',
    version: 'v4',
    model: 'A100',
    memoryGiB: 80,
    formFactor: 'PCIe',
    vcpusPerGpu: 24,
  },
  // NC H100 v5 and its confidential twin run the 94 GB H100 NVL.
  {
    subFamily: 'nc',
    accelerator: 'h100',
    version: 'v5',
    model: 'H100',
    memoryGiB: 94,
    formFactor: 'NVL',
    vcpusPerGpu: 40,
  },
  {
    subFamily: 'ncc',
    accelerator: 'h100',
    version: 'v5',
    model: 'H100',
    memoryGiB: 94,
    formFactor: 'NVL',
    vcpusPerGpu: 40,
  },
  { subFamily: 'nd', accelerator: '', version: '', model: 'P40', vcpusPerGpu: 6 },
  {
    subFamily: 'nd',
    accelerator: '',
    version: 'v2',
    model: 'V100',
    memoryGiB: 32,
    formFactor: 'SXM2',
    fixedCount: 8,
  },
  // ND A100 v4 (`ND96asr_v4`, quota `NDASv4_A100`) is HGX A100 40 GB; NDm A100 v4
  // (`ND96amsr_A100_v4`, quota `NDAMSv4_A100`) is the 80 GB board. The `m` tells them apart.
  {
    subFamily: 'nd',
    accelerator: 'a100',
    version: 'v4',
    feature: /m/,
    model: 'A100',
    memoryGiB: 80,
    formFactor: 'SXM4',
    fixedCount: 8,
  },
  {
    subFamily: 'nd',
    accelerator: 'a100',
    version: 'v4',
    model: 'A100',
    memoryGiB: 40,
    formFactor: 'SXM4',
    fixedCount: 8,
  },
  // The 40 GB size leaves the accelerator out of its name (`ND96asr_v4`).
  {
    subFamily: 'nd',
    accelerator: '',
    version: 'v4',
    model: 'A100',
    memoryGiB: 40,
    formFactor: 'SXM4',
    fixedCount: 8,
  },
  {
    subFamily: 'nd',
    accelerator: 'h100',
    version: 'v5',
    model: 'H100',
    memoryGiB: 80,
    formFactor: 'SXM5',
    fixedCount: 8,
  },
  {
    subFamily: 'nd',
    accelerator: 'h200',
    version: 'v5',
    model: 'H200',
    memoryGiB: 141,
    formFactor: 'SXM5',
    fixedCount: 8,
  },
  { subFamily: 'nd', accelerator: 'mi300x', version: 'v5', model: 'MI300X', fixedCount: 8 },
  { subFamily: 'nd', accelerator: 'gb200', version: 'v6', model: 'GB200', fixedCount: 4 },
  { subFamily: 'nd', accelerator: 'gb300', version: 'v6', model: 'GB300', fixedCount: 4 },
  { subFamily: 'nv', accelerator: '', version: '', model: 'M60', vcpusPerGpu: 6 },
  { subFamily: 'nv', accelerator: '', version: 'v3', model: 'M60', vcpusPerGpu: 12 },
  // NVv4, NVads A10 v5 and NGads V620 sell slices of one GPU below their full-GPU size.
  { subFamily: 'nv', accelerator: '', version: 'v4', model: 'MI25', vcpusPerGpu: 32 },
  { subFamily: 'nv', accelerator: 'a10', version: 'v5', model: 'A10', vcpusPerGpu: 36 },
  { subFamily: 'ng', accelerator: 'v620', version: 'v1', model: 'V620', vcpusPerGpu: 32 },
];

const ACCELERATORS = 'a100|a10|h100|h200|t4|mi300x|v620|gb200|gb300';
/** Additive feature letters Azure uses on GPU sizes, plus the `NDR` (InfiniBand) infix of GB200. */
const FEATURES = '(?:ndr|[adilmprst])*?';
const GRAMMAR = new RegExp(
  `^(ncc|nc|nd|nv|ng)(\\d+)?(${FEATURES})(${ACCELERATORS})?(v\\d+)?(${ACCELERATORS})?$`,
);

export function parseAzure(text: string): GpuSku | undefined {
  const lowered = text.trim().toLowerCase();
  const named = /^standard[_\s-]?/.test(lowered) || /family$/.test(lowered);
  const compact = lowered
    .replace(/^standard/, '')
    .replace(/family$/, '')
    .replace(/[_\s-]/g, '');
  const match = GRAMMAR.exec(compact);
  if (!match) return undefined;
  const [, subFamily, vcpuText, features = '', accBefore, version = '', accAfter] = match;
  // Without the `Standard` prefix or `Family` suffix, only a versioned name is surely Azure's.
  if (!named && version === '') return undefined;
  const accelerator = accBefore ?? accAfter ?? '';
  const series = SERIES.find(
    (s) =>
      s.subFamily === subFamily &&
      s.version === version &&
      s.accelerator === accelerator &&
      (s.feature === undefined || s.feature.test(features)),
  );
  if (!series) return undefined;
  const isFamily = /family$/.test(lowered);
  const scheme = vcpuText === undefined || isFamily ? 'azure-series' : 'azure-vm-size';
  const gpus = vcpuText === undefined ? undefined : gpusOf(series, Number(vcpuText));
  return sku(scheme, series.model, gpus?.count ?? null, {
    memoryGiB: series.memoryGiB,
    formFactor: series.formFactor,
    fraction: gpus?.fraction,
  });
}

function gpusOf(series: Series, vcpus: number): { count: number; fraction?: number } | undefined {
  if (series.fixedCount !== undefined) return { count: series.fixedCount };
  const listed = series.countByVcpus && lookup(series.countByVcpus, String(vcpus));
  if (listed !== undefined) return { count: listed };
  if (series.vcpusPerGpu !== undefined) return countFromVcpus(vcpus, series.vcpusPerGpu);
  return undefined;
}
