import pino, { type Logger } from 'pino';

/**
 * The control plane's log: pino, JSON lines. Fields that could hold a secret are redacted at a
 * log line's top level and up to two levels down (pino follows fixed paths, so deeper ones are
 * not): a last guard behind code that never logs them and the scrubbing of provider errors.
 */
const SECRET_FIELDS = [
  'credential',
  'apiKey',
  'apiToken',
  'token',
  'password',
  'sealed',
  'secretAccessKey',
  'sessionToken',
  'privateKey',
] as const;

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
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
