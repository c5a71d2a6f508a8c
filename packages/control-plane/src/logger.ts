import pino, { type Logger } from 'pino';

/**
 * The control plane's log: pino, JSON lines, with every field that could hold a secret
 * redacted wherever it appears, as a last guard behind code that never logs them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'credential',
  '*.credential',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'password',
  '*.password',
  'sealed',
  '*.sealed',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Default stdout; `stderr` keeps stdout for a command's own output. */
  readonly destination?: pino.DestinationStream | 'stderr';
}

export function makeLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'cloudplane',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination === 'stderr' ? pino.destination(2) : options.destination,
  );
}
