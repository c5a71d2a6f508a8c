import { createPrivateKey, randomUUID } from 'node:crypto';
import { CloudError, isCloudError, toCloudError } from '@cloudplane/sdk';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { ServiceAccountKey } from './credential.js';

/**
 * IAM tokens for a service account (proto/README.md, "Service Account Authentication"): a JWT
 * signed RS256 with the account's private key (kid = the public key id, iss = sub = the account
 * id, valid five minutes) is exchanged through TokenExchangeService.Exchange (RFC 8693) for an
 * access token, which every other call carries as `authorization: Bearer`. The token is cached and
 * exchanged again before it expires; concurrent callers share one exchange.
 */

export const TOKEN_EXCHANGE = {
  grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
  requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
  subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

/** How long the self-signed JWT is good for; it is only used for the exchange. */
export const JWT_LIFETIME_S = 300;

/** What the exchange must answer (CreateTokenResponse); expires_in arrives as a string (int64). */
export const ExchangeResponse = z.object({
  accessToken: z.string().min(1, 'the exchange answered no access token'),
  tokenType: z.string(),
  expiresIn: z.coerce.number().int().positive('the exchange answered no positive expires_in'),
});
export type ExchangeResponse = z.infer<typeof ExchangeResponse>;

export interface ExchangeRequest {
  readonly grantType: string;
  readonly requestedTokenType: string;
  readonly subjectToken: string;
  readonly subjectTokenType: string;
}

export interface TokenSourceOptions {
  /** Sends the exchange (TokenExchangeService.Exchange); throws CloudErrors. */
  readonly exchange: (request: ExchangeRequest) => Promise<unknown>;
  readonly now?: () => number;
  /** Exchange again this long before expiry (at most half the token's lifetime). Default 5 min. */
  readonly refreshMarginMs?: number;
}

interface Cached {
  readonly token: string;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

export class IamTokenSource {
  private cached: Cached | undefined;
  private pending: Promise<Cached> | undefined;
  private readonly now: () => number;
  private readonly margin: number;

  constructor(
    private readonly key: ServiceAccountKey,
    private readonly options: TokenSourceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.margin = options.refreshMarginMs ?? 5 * 60_000;
  }

  /** A valid access token: the cached one, or a fresh exchange when it is due for refresh. */
  async token(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return cached.token;
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    try {
      return (await this.pending).token;
    } catch (err) {
      // A refresh that fails while the old token is still valid keeps the old one working.
      if (cached && this.now() < cached.expiresAt && isCloudError(err) && err.retryable) {
        return cached.token;
      }
      throw err;
    }
  }

  /** Forgets `token` after Nebius refused it (revoked, or the clock was wrong). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async exchange(): Promise<Cached> {
    const startedAt = this.now();
    const subjectToken = await this.signJwt(startedAt);
    let answer: unknown;
    try {
      answer = await this.options.exchange({ ...TOKEN_EXCHANGE, subjectToken });
    } catch (err) {
      throw this.exchangeFailure(err, subjectToken);
    }
    const parsed = ExchangeResponse.safeParse(answer);
    if (!parsed.success) {
      throw new CloudError('INTERNAL', {
        message: `exchange a service-account JWT for an IAM token: unreadable answer (${parsed.error.issues[0]?.message ?? 'unexpected shape'})`,
      });
    }
    const lifetimeMs = parsed.data.expiresIn * 1000;
    const expiresAt = startedAt + lifetimeMs;
    this.cached = {
      token: parsed.data.accessToken,
      expiresAt,
      refreshAt: expiresAt - Math.min(this.margin, lifetimeMs / 2),
    };
    return this.cached;
  }

  /** The exchange's failure, worded for the operator, with the JWT scrubbed from every text. */
  private exchangeFailure(err: unknown, subjectToken: string): CloudError {
    const failure = toCloudError(err);
    const scrub = (text: string) => text.split(subjectToken).join('[jwt]');
    const refused = failure.code === 'UNAUTHENTICATED' || failure.code === 'PERMISSION_DENIED';
    const message = refused
      ? `Nebius IAM refused the key ${this.key.publicKeyId} of service account ${this.key.serviceAccountId} (${scrub(failure.message)}); check that the key is active and belongs to the account`
      : scrub(failure.message);
    return new CloudError(refused ? 'UNAUTHENTICATED' : failure.code, {
      message,
      retryable: failure.retryable,
      scope: failure.scope,
      detail: {
        ...failure.detail,
        ...(failure.detail.raw === undefined ? {} : { raw: scrub(failure.detail.raw) }),
      },
    });
  }

  private async signJwt(nowMs: number): Promise<string> {
    let privateKey;
    try {
      privateKey = createPrivateKey(this.key.privateKey);
    } catch {
      // Node's own message may quote parts of the PEM: never pass it on.
      throw new CloudError('UNAUTHENTICATED', {
        message: `the private key of service account ${this.key.serviceAccountId} cannot be read`,
      });
    }
    const issuedAt = Math.floor(nowMs / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: this.key.publicKeyId, typ: 'JWT' })
      .setIssuer(this.key.serviceAccountId)
      .setSubject(this.key.serviceAccountId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + JWT_LIFETIME_S)
      .setJti(randomUUID())
      .sign(privateKey);
  }
}
