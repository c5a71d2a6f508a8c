import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { retrying, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';
import { CloudError, type Logger } from '@cloudplane/sdk';
import { z } from 'zod';
import type { AwsCredential } from './credential.js';
import { cloudErrorFromEc2 } from './errors.js';
import { fetchHandler } from './fetch-handler.js';

/**
 * The call layer on top of the official SDK, one per region: every request has a timeout tied to
 * the client's abort signal, EC2's errors become CloudErrors through the error table, and retries
 * follow the adapter's policy (the SDK's own retries are off, so a request is never resent twice
 * over and every retry is logged the same way as at other clouds).
 */

export { DEFAULT_RETRY, type Replay, type RetryPolicy } from '@cloudplane/provider-kit';

export interface Ec2ApiOptions {
  readonly region: string;
  readonly credential: AwsCredential;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** What the SDK attaches to every failure that got an HTTP answer (its deserialization errors too). */
const SdkFailure = z.object({
  $metadata: z.object({ httpStatusCode: z.number().int().optional() }),
});

export type Send<T> = (client: EC2Client, options: { abortSignal: AbortSignal }) => Promise<T>;

export class Ec2Api {
  readonly region: string;
  private readonly client: EC2Client;
  /** Values that must never leave in a message, should AWS or a proxy ever echo them. */
  private readonly secrets: string[];

  constructor(private readonly options: Ec2ApiOptions) {
    const { credential, region } = options;
    this.region = region;
    this.secrets = [credential.secretAccessKey, credential.sessionToken ?? ''].filter(
      (s) => s.length >= 8,
    );
    this.client = new EC2Client({
      region,
      ...(credential.endpoint !== undefined ? { endpoint: credential.endpoint } : {}),
      credentials: {
        accessKeyId: credential.accessKeyId,
        secretAccessKey: credential.secretAccessKey,
        ...(credential.sessionToken !== undefined ? { sessionToken: credential.sessionToken } : {}),
      },
      maxAttempts: 1,
      requestHandler: fetchHandler(options.fetch),
    });
  }

  /** One EC2 operation, retried per `replay` (see provider-kit's Replay). */
  call<T>(operation: string, replay: Replay, send: Send<T>): Promise<T> {
    return retrying(() => this.once(operation, send), {
      policy: this.options.retry,
      replay,
      operation,
      providerId: 'aws',
      displayName: 'AWS',
      logger: this.options.logger,
      signal: this.options.signal,
    });
  }

  /**
   * Every page of a paginated operation, in order: complete or an error. A token seen twice is
   * an error too, rather than a loop.
   */
  async allPages<P, I>(
    operation: string,
    fetchPage: (
      client: EC2Client,
      token: string | undefined,
      abortSignal: AbortSignal,
    ) => Promise<P>,
    read: (page: P) => { items: readonly I[] | undefined; next: string | undefined },
  ): Promise<I[]> {
    const items: I[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 1; ; page++) {
      const current = token;
      const answer = await this.call(`${operation} (page ${page})`, 'idempotent', (c, o) =>
        fetchPage(c, current, o.abortSignal),
      );
      const { items: found, next } = read(answer);
      items.push(...(found ?? []));
      if (next === undefined || next === '') return items;
      if (seen.has(next)) {
        throw new CloudError('INTERNAL', {
          message: `${operation}: AWS returned the page token of an earlier page again`,
        });
      }
      seen.add(next);
      token = next;
    }
  }

  private async once<T>(operation: string, send: Send<T>): Promise<T> {
    this.options.signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const outer = this.options.signal;
    const abortSignal = outer ? AbortSignal.any([timeout, outer]) : timeout;
    try {
      return await send(this.client, { abortSignal });
    } catch (err) {
      if (outer?.aborted === true) throw outer.reason;
      throw this.scrubbed(this.toCloudError(err, operation, timeout.aborted));
    }
  }

  private toCloudError(err: unknown, operation: string, timedOut: boolean): CloudError {
    if (err instanceof CloudError) return err;
    const status = SdkFailure.safeParse(err).data?.$metadata.httpStatusCode;
    if (err instanceof EC2ServiceException && status !== undefined && status >= 300) {
      return cloudErrorFromEc2(
        { code: err.name, message: err.message, httpStatus: status },
        operation,
      );
    }
    const why = err instanceof Error ? err.message : String(err);
    if (status !== undefined) {
      // A success status whose body the SDK could not read: garbled on the way, most likely.
      return new CloudError('INTERNAL', {
        message: `${operation}: AWS sent an answer we cannot read (${why})`,
        retryable: true,
        detail: { httpStatus: status },
        cause: err,
      });
    }
    return new CloudError('SERVICE_UNAVAILABLE', {
      message: timedOut
        ? `${operation}: no answer from AWS within ${this.options.timeoutMs} ms`
        : `${operation}: could not reach AWS (${why})`,
      cause: err,
    });
  }

  private scrubbed(err: CloudError): CloudError {
    const scrub = (text: string) =>
      this.secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
    const message = scrub(err.message);
    const raw = err.detail.raw === undefined ? undefined : scrub(err.detail.raw);
    if (message === err.message && raw === err.detail.raw) return err;
    return new CloudError(err.code, {
      message,
      retryable: err.retryable,
      scope: err.scope,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      detail: { ...err.detail, ...(raw !== undefined ? { raw } : {}) },
    });
  }
}
