import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { TOKEN_EXCHANGE } from '../../src/auth.js';
import type { NebiusCredential } from '../../src/credential.js';
import { nebiusApi, type PlatformInput, type ServiceErrorInput } from '../../src/proto.js';
import { checkCreateRequest } from './checks.js';
import {
  badRequest,
  FakeCompute,
  FakeFailure,
  failedStatus,
  type CapacityFailure,
  type ComputeTimings,
} from './compute.js';
import { PLATFORMS, PRICES, PROJECT_ID, REGION, SUBNET_ID, type TestKey } from './fixtures.js';

/**
 * A fake Nebius: a real gRPC server on 127.0.0.1 built from the same .proto files as the adapter
 * (src/generated/proto), so every message crosses a real wire in Nebius's encoding. It serves
 * the token exchange (checking the JWT's signature against the public key it was given), the
 * project, subnets, platforms, instances and their operations, keeps state, finishes operations
 * on timers, paginates, and fails on request (faults). Requests that break a rule of the upstream
 * protos' buf.validate annotations are refused and recorded in `violations` (checks.ts).
 */

export interface NebiusFakeOptions extends Partial<ComputeTimings> {
  /** The service account keys the fake accepts. */
  readonly keys?: readonly TestKey[];
  /** Largest page the fake answers (small, so that clients must paginate). Default 2. */
  readonly maxPageSize?: number;
  /** Lifetime of an issued IAM token, seconds. Default 3600. */
  readonly tokenTtlS?: number;
  readonly platforms?: readonly PlatformInput[];
  /** Give running instances addresses (TEST-NET, unreachable). Default true. */
  readonly assignAddresses?: boolean;
}

export type MethodName =
  | 'TokenExchangeService.Exchange'
  | 'ProjectService.Get'
  | 'SubnetService.List'
  | 'PlatformService.List'
  | 'InstanceService.Get'
  | 'InstanceService.List'
  | 'InstanceService.Create'
  | 'InstanceService.Delete'
  | 'InstanceService.Start'
  | 'InstanceService.Stop'
  | 'OperationService.Get';

export interface Fault {
  readonly code: grpc.status;
  readonly message?: string;
  readonly detail?: ServiceErrorInput;
  /** How many calls fail; default 1. */
  readonly times?: number;
  /** Only calls whose request this accepts fail (e.g. later pages only). */
  readonly when?: (request: Record<string, unknown>) => boolean;
}

export interface RecordedCall {
  readonly method: MethodName;
  readonly request: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly idempotencyKey: string | undefined;
}

interface ActiveFault extends Fault {
  remaining: number;
}

type Handler = (
  request: Record<string, unknown>,
  call: grpc.ServerUnaryCall<unknown, unknown>,
) => unknown;

export class NebiusFake {
  readonly calls: RecordedCall[] = [];
  readonly violations: string[] = [];
  readonly compute: FakeCompute;
  private readonly server = new grpc.Server();
  private readonly faults = new Map<MethodName, ActiveFault[]>();
  private readonly publicKeys = new Map<string, { serviceAccountId: string; key: KeyObject }>();
  private readonly tokens = new Map<string, number>();
  private readonly pageTokens = new Set<string>();
  private address = '';

  private constructor(private readonly options: NebiusFakeOptions) {
    this.compute = new FakeCompute(PROJECT_ID, SUBNET_ID, options.platforms ?? PLATFORMS, {
      provisionMs: options.provisionMs ?? 50,
      bootMs: options.bootMs ?? 50,
      transitionMs: options.transitionMs ?? 50,
      deleteMs: options.deleteMs ?? 50,
      assignAddresses: options.assignAddresses ?? true,
    });
    for (const key of options.keys ?? []) this.addKey(key);
  }

  static async start(options: NebiusFakeOptions = {}): Promise<NebiusFake> {
    const fake = new NebiusFake(options);
    fake.register();
    const port = await new Promise<number>((resolve, reject) => {
      fake.server.bindAsync(
        '127.0.0.1:0',
        grpc.ServerCredentials.createInsecure(),
        (err, bound) => {
          if (err) reject(err);
          else resolve(bound);
        },
      );
    });
    fake.address = `127.0.0.1:${port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.compute.close();
    await new Promise<void>((resolve) => {
      this.server.tryShutdown(() => {
        resolve();
      });
    }).catch(() => undefined);
    this.server.forceShutdown();
  }

  /** A credential for `key` that points every endpoint at this fake. */
  credential(key: TestKey, extra: Partial<NebiusCredential> = {}): Record<string, unknown> {
    return {
      serviceAccount: {
        serviceAccountId: key.serviceAccountId,
        publicKeyId: key.publicKeyId,
        privateKey: key.privateKey,
      },
      projectId: PROJECT_ID,
      prices: PRICES,
      endpoints: {
        compute: this.address,
        iam: this.address,
        tokens: this.address,
        vpc: this.address,
      },
      plaintext: true,
      ...extra,
    };
  }

  addKey(key: Pick<TestKey, 'serviceAccountId' | 'publicKeyId' | 'publicKey'>): void {
    this.publicKeys.set(key.publicKeyId, {
      serviceAccountId: key.serviceAccountId,
      key: createPublicKey(key.publicKey),
    });
  }

  /** Makes every issued token invalid, as a revocation or expiry would. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The next calls of `method` fail with `fault`; returns a function that removes it. */
  inject(method: MethodName, fault: Fault): () => void {
    const active: ActiveFault = { ...fault, remaining: fault.times ?? 1 };
    const list = this.faults.get(method) ?? [];
    list.push(active);
    this.faults.set(method, list);
    return () => {
      active.remaining = 0;
    };
  }

  /** Launches fail for lack of capacity until the returned function is called. */
  exhaustCapacity(where: CapacityFailure = 'operation'): () => void {
    this.compute.capacityFailure = where;
    return () => {
      this.compute.capacityFailure = undefined;
    };
  }

  callsOf(method: MethodName): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Instances that are not on their way out. */
  live() {
    return [...this.compute.instances.values()].filter((i) => i.state !== 'DELETING');
  }

  private register(): void {
    const api = nebiusApi();
    const { compute, common, iam, vpc } = api.nebius;
    const unary = (method: MethodName, handler: Handler, authenticated = true) =>
      this.unary(method, handler, authenticated);
    this.server.addService(iam.v1.TokenExchangeService.service, {
      Exchange: unary('TokenExchangeService.Exchange', (r) => this.exchange(r), false),
    });
    this.server.addService(iam.v1.ProjectService.service, {
      Get: unary('ProjectService.Get', (r) => {
        if (r.id !== PROJECT_ID) throw forbidden(String(r.id));
        return {
          metadata: { id: PROJECT_ID, parentId: 'tenant-e00fake', name: 'default' },
          spec: { region: REGION },
          status: { region: REGION },
        };
      }),
    });
    this.server.addService(vpc.v1.SubnetService.service, {
      List: unary('SubnetService.List', (r) =>
        this.page(
          r,
          this.inProject(r, () => [
            {
              metadata: { id: SUBNET_ID, parentId: PROJECT_ID, name: 'default-subnet' },
              status: { state: 'READY' },
            },
          ]),
        ),
      ),
    });
    this.server.addService(compute.v1.PlatformService.service, {
      List: unary('PlatformService.List', (r) =>
        this.page(
          r,
          this.inProject(r, () => [...(this.options.platforms ?? PLATFORMS)]),
        ),
      ),
    });
    this.server.addService(compute.v1.InstanceService.service, {
      Get: unary('InstanceService.Get', (r) => this.compute.get(String(r.id))),
      List: unary('InstanceService.List', (r) =>
        this.page(
          r,
          this.inProject(r, () => this.compute.list(PROJECT_ID)),
        ),
      ),
      Create: unary('InstanceService.Create', (r, call) => {
        const problems = checkCreateRequest(r);
        if (problems.length > 0) {
          this.violations.push(...problems);
          throw badRequest(problems[0]?.split(':')[0] ?? 'request', problems.join('; '));
        }
        return this.compute.create(r, idempotencyKeyOf(call));
      }),
      Delete: unary('InstanceService.Delete', (r) => this.compute.delete(String(r.id))),
      Start: unary('InstanceService.Start', (r) => this.compute.startInstance(String(r.id))),
      Stop: unary('InstanceService.Stop', (r) => this.compute.stop(String(r.id))),
    });
    this.server.addService(common.v1.OperationService.service, {
      Get: unary('OperationService.Get', (r) => this.compute.operation(String(r.id))),
    });
  }

  private unary(method: MethodName, handler: Handler, authenticated: boolean) {
    return (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      const request = call.request as Record<string, unknown>;
      const [authorization] = call.metadata.get('authorization');
      this.calls.push({
        method,
        request,
        authorization: typeof authorization === 'string' ? authorization : undefined,
        idempotencyKey: idempotencyKeyOf(call),
      });
      Promise.resolve()
        .then(() => {
          if (authenticated) this.authenticate(call);
          this.fault(method, request);
          return handler(request, call);
        })
        .then(
          (answer) => {
            callback(null, answer);
          },
          (err: unknown) => {
            callback(toServiceError(err));
          },
        );
    };
  }

  private fault(method: MethodName, request: Record<string, unknown>): void {
    const active = (this.faults.get(method) ?? []).find(
      (f) => f.remaining > 0 && (f.when === undefined || f.when(request)),
    );
    if (!active) return;
    active.remaining -= 1;
    throw new FakeFailure(
      active.code,
      active.message ?? `injected ${grpc.status[active.code]}`,
      active.detail,
    );
  }

  private authenticate(call: grpc.ServerUnaryCall<unknown, unknown>): void {
    const [value] = call.metadata.get('authorization');
    const token = typeof value === 'string' ? /^Bearer (.+)$/.exec(value)?.[1] : undefined;
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      throw new FakeFailure(grpc.status.UNAUTHENTICATED, 'missing, unknown or expired IAM token');
    }
  }

  private async verifyJwt(jwt: string): Promise<void> {
    const { kid } = decodeProtectedHeader(jwt);
    const known = kid === undefined ? undefined : this.publicKeys.get(kid);
    if (!known) throw new FakeFailure(grpc.status.UNAUTHENTICATED, 'unknown public key id');
    await jwtVerify(jwt, known.key, {
      algorithms: ['RS256'],
      issuer: known.serviceAccountId,
      subject: known.serviceAccountId,
      requiredClaims: ['exp'],
    });
  }

  private exchange(request: Record<string, unknown>): unknown {
    if (
      request.grantType !== TOKEN_EXCHANGE.grantType ||
      request.subjectTokenType !== TOKEN_EXCHANGE.subjectTokenType
    ) {
      throw badRequest('grant_type', 'an RFC 8693 token exchange of a JWT is expected');
    }
    // jose verifies asynchronously; the handler answers through a promise the caller awaits.
    return this.verifyJwt(String(request.subjectToken)).then(
      () => {
        const ttl = this.options.tokenTtlS ?? 3600;
        const accessToken = `v1.fake-iam-token-${randomBytes(16).toString('hex')}`;
        this.tokens.set(accessToken, Date.now() + ttl * 1000);
        return {
          accessToken,
          issuedTokenType: TOKEN_EXCHANGE.requestedTokenType,
          tokenType: 'Bearer',
          expiresIn: String(ttl),
        };
      },
      (err: unknown) => {
        throw err instanceof FakeFailure
          ? err
          : new FakeFailure(
              grpc.status.UNAUTHENTICATED,
              'the JWT signature or claims do not verify',
            );
      },
    );
  }

  private inProject<T>(request: Record<string, unknown>, items: () => T[]): T[] {
    if (request.parentId !== PROJECT_ID) throw forbidden(String(request.parentId));
    return items();
  }

  /** One page of `items`; page tokens are opaque and only ones the fake issued are accepted. */
  private page<T>(
    request: Record<string, unknown>,
    items: T[],
  ): { items: T[]; nextPageToken: string } {
    const max = this.options.maxPageSize ?? 2;
    const asked = Number(request.pageSize ?? 0);
    const size = asked > 0 ? Math.min(asked, max) : max;
    const token = typeof request.pageToken === 'string' ? request.pageToken : '';
    if (token !== '' && !this.pageTokens.has(token))
      throw badRequest('page_token', 'unknown page token');
    const offset = token === '' ? 0 : Number(token.split(':')[1]);
    const next =
      offset + size < items.length ? `page:${offset + size}:${randomBytes(4).toString('hex')}` : '';
    if (next !== '') this.pageTokens.add(next);
    return { items: items.slice(offset, offset + size), nextPageToken: next };
  }
}

function idempotencyKeyOf(call: grpc.ServerUnaryCall<unknown, unknown>): string | undefined {
  const [value] = call.metadata.get('x-idempotency-key');
  return typeof value === 'string' ? value : undefined;
}

function forbidden(resource: string): FakeFailure {
  return new FakeFailure(grpc.status.PERMISSION_DENIED, `no access to ${resource}`, {
    service: 'iam',
    code: 'PermissionDenied',
    permissionDenied: { resourceId: resource },
  });
}

/** A FakeFailure as grpc-js sends it: code, message, and the Status in the details trailer. */
function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  const failure =
    err instanceof FakeFailure ? err : new FakeFailure(grpc.status.INTERNAL, String(err));
  const metadata = new grpc.Metadata();
  metadata.set(
    'grpc-status-details-bin',
    nebiusApi().google.rpc.Status.serialize(failedStatus(failure)),
  );
  return { code: failure.code, details: failure.message, metadata };
}
