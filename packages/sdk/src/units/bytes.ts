import { z } from 'zod';

/**
 * Sizes always carry their unit, because clouds mix decimal GB and binary GiB freely and a bare
 * number loses which one was meant (80 "GB" of disk is 74.5 GiB).
 */
export const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
export type ByteUnit = (typeof BYTE_UNITS)[number];

const BYTES_PER_UNIT: Readonly<Record<ByteUnit, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

export const BytesSchema = z.object({
  value: z.number().nonnegative(),
  unit: z.enum(BYTE_UNITS),
});
export type Bytes = z.infer<typeof BytesSchema>;

export function bytes(value: number, unit: ByteUnit): Bytes {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`a size must be a finite number >= 0, got ${value} ${unit}`);
  }
  return { value, unit };
}

/** The exact number of bytes (rounded to a whole byte). */
export function toByteCount(size: Bytes): number {
  return Math.round(size.value * BYTES_PER_UNIT[size.unit]);
}

/** The same size in another unit, without rounding. */
export function convertBytes(size: Bytes, unit: ByteUnit): Bytes {
  return { value: (size.value * BYTES_PER_UNIT[size.unit]) / BYTES_PER_UNIT[unit], unit };
}

/** The numeric value of `size` in `unit`, e.g. `bytesIn(bytes(80, 'GB'), 'GiB')` = 74.5058... */
export function bytesIn(size: Bytes, unit: ByteUnit): number {
  return convertBytes(size, unit).value;
}

export function compareBytes(a: Bytes, b: Bytes): number {
  return toByteCount(a) - toByteCount(b);
}

export function formatBytes(size: Bytes): string {
  const rounded = Math.round(size.value * 100) / 100;
  return `${rounded} ${size.unit}`;
}
