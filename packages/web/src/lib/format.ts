/** Pure formatting helpers (unit-tested under node:test). */

export interface Priced {
  readonly price: { readonly perHour: string; readonly currency: string };
  readonly gpu: { readonly count: number };
}

export function money(amount: number | string, currency: string): string {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  if (!Number.isFinite(value)) return `${String(amount)} ${currency}`;
  const digits = value !== 0 && Math.abs(value) < 1 ? 3 : 2;
  return `${value.toFixed(digits)} ${currency}`;
}

/** Price per GPU and hour; the full price when the offer has no GPU. */
export function perGpu(offer: Priced): number {
  const total = Number(offer.price.perHour);
  return offer.gpu.count > 0 ? total / offer.gpu.count : total;
}

export interface SshTarget {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

export function sshCommand(ssh: SshTarget): string {
  return `ssh -p ${String(ssh.port)} ${ssh.user}@${ssh.host}`;
}

export function when(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const s = Math.round(ms / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${String(s)} s ago`;
  if (s < 3600) return `${String(Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${String(Math.round(s / 3600))} h ago`;
  return `${String(Math.round(s / 86_400))} d ago`;
}

export function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour12: false });
}

/** A random Idempotency-Key (crypto.randomUUID needs a secure context; this does not). */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
