import * as grpc from '@grpc/grpc-js';
import { pauseBeforeRetry, type RetryPolicy } from '@cloudplane/provider-kit';
import { CloudError, isCloudError, toCloudError, type Logger } from '@cloudplane/sdk';
import { IamTokenSource } from './auth.js';
import { endpointOf, type NebiusCredential, type NebiusEndpoint } from './credential.js';
import { cloudErrorFromGrpc, isGrpcError, type NotFoundCode } from './errors.js';
import {
  nebiusApi,
  type InstanceServiceClient,
  type OperationServiceClient,
  type PlatformServiceClient,
  type ProjectServiceClient,
  type SubnetServiceClient,
  type TokenExchangeServiceClient,
} from './proto.js';

/**
 * The gRPC layer: one channel per Nebius host, an IAM token on every call, a deadline per call
 * tied to the client's abort signal, failures turned into CloudErrors (errors.ts), and bounded
 * retries that never resend what may not be resent. Mutations carry an X-Idempotency-Key
 * (proto/README.md, "Idempotency"), the same on every attempt of one request.
 */

export interface RpcOptions {
  readonly retry: RetryPolicy;
  /** Deadline of one call. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
  readonly now?: () => number;
}

/**
 * `idempotent`: any retryable failure is tried again (reads, and mutations with an idempotency
 * key). `never`: the caller decides (a launch, which first looks for the instance).
 */
export type Replay = 'idempotent' | 'never';

export type Invoke<T> = (
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<T>,
) => grpc.ClientUnaryCall;

export interface RpcCall<T> {
  /** For messages and logs: "list platforms", "get instance computeinstance-…". */
  readonly operation: string;
  readonly replay: Replay;
  readonly notFound?: NotFoundCode;
  /** Sent as X-Idempotency-Key (mutations); the same on every attempt. */
  readonly idempotencyKey?: string;
  readonly invoke: (stubs: Stubs) => Invoke<T>;
}

export interface Stubs {
  readonly instances: InstanceServiceClient;
  readonly platforms: PlatformServiceClient;
  readonly computeOperations: OperationServiceClient;
  readonly projects: ProjectServiceClient;
  readonly subnets: SubnetServiceClient;
  readonly tokens: TokenExchangeServiceClient;
}

export class NebiusRpc {
  readonly stubs: Stubs;
  private readonly tokens: IamTokenSource;
  private readonly clients: grpc.Client[] = [];

  constructor(
    credential: NebiusCredential,
    private readonly options: RpcOptions,
  ) {
    const api = nebiusApi();
    const channel = (name: NebiusEndpoint) => ({
      address: endpointOf(credential, name),
      credentials:
        credential.plaintext === true
          ? grpc.credentials.createInsecure()
          : grpc.credentials.createSsl(),
    });
    const make = <C extends grpc.Client>(
      Ctor: new (address: string, credentials: grpc.ChannelCredentials) => C,
      name: NebiusEndpoint,
    ): C => {
      const { address, credentials } = channel(name);
      const client = new Ctor(address, credentials);
      this.clients.push(client);
      return client;
    };
    const { compute, common, iam, vpc } = api.nebius;
    this.stubs = {
      instances: make(compute.v1.InstanceService, 'compute'),
      platforms: make(compute.v1.PlatformService, 'compute'),
      // Operations are read on the host of the service that started them (proto/README.md).
      computeOperations: make(common.v1.OperationService, 'compute'),
      projects: make(iam.v1.ProjectService, 'iam'),
      subnets: make(vpc.v1.SubnetService, 'vpc'),
      tokens: make(iam.v1.TokenExchangeService, 'tokens'),
    };
    this.tokens = new IamTokenSource(credential.serviceAccount, {
      exchange: (request) =>
        this.send(
          {
            operation: 'exchange a service-account JWT for an IAM token',
            replay: 'idempotent',
            invoke: (s) => (md, opts, done) => s.tokens.exchange(request, md, opts, done),
          },
          undefined,
        ),
      ...(options.now ? { now: options.now } : {}),
    });
    options.signal?.addEventListener(
      'abort',
      () => {
        this.close();
      },
      { once: true },
    );
  }

  /** One authenticated call. A token Nebius refuses is exchanged again once. */
  async call<T>(call: RpcCall<T>): Promise<T> {
    const token = await this.tokens.token();
    try {
      return await this.send(call, token);
    } catch (err) {
      if (!isCloudError(err, 'UNAUTHENTICATED')) throw err;
      this.tokens.invalidate(token);
      return this.send(call, await this.tokens.token());
    }
  }

  close(): void {
    for (const client of this.clients) client.close();
  }

  /** Sends with retries per `call.replay`. */
  private async send<T>(call: RpcCall<T>, token: string | undefined): Promise<T> {
    const { retry, logger, signal } = this.options;
    const metadata = new grpc.Metadata();
    if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
    if (call.idempotencyKey !== undefined) metadata.set('x-idempotency-key', call.idempotencyKey);
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return await this.once(call, metadata);
      } catch (err) {
        const failure = toCloudError(err);
        const again = call.replay === 'idempotent' && failure.retryable && attempt < retry.attempts;
        if (!again) throw failure;
        logger.warn(
          { provider: 'nebius', operation: call.operation, attempt, code: failure.code },
          'Nebius request failed; retrying',
        );
        await pauseBeforeRetry(attempt, failure, retry, signal);
      }
    }
  }

  private once<T>(call: RpcCall<T>, metadata: grpc.Metadata): Promise<T> {
    const { signal, timeoutMs } = this.options;
    return new Promise<T>((resolve, reject) => {
      const deadline = new Date(Date.now() + timeoutMs);
      const context = {
        operation: call.operation,
        notFound: call.notFound ?? 'RESOURCE_NOT_FOUND',
      };
      const onAbort = () => {
        unary.cancel();
      };
      const unary = call.invoke(this.stubs)(metadata, { deadline }, (err, value) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) {
          reject(
            signal?.aborted === true
              ? new CloudError('SERVICE_UNAVAILABLE', {
                  message: `${call.operation}: aborted`,
                  retryable: false,
                  cause: signal.reason,
                })
              : isGrpcError(err)
                ? cloudErrorFromGrpc(err, context)
                : toCloudError(err),
          );
          return;
        }
        if (value === undefined) {
          reject(new CloudError('INTERNAL', { message: `${call.operation}: empty answer` }));
          return;
        }
        resolve(value);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
