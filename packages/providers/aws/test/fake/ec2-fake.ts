import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type InjectedFault } from '@cloudplane/spec-fake';
import type { AwsCredentialInput } from '../../src/index.js';
import { FAKE_PRICES, FAKE_TYPES, typeXml, wildcardMatch, type FakeType } from './catalog.js';
import { loadEc2Model } from './model.js';
import { ModelChecker, RequestProblem, type DecodedRequest } from './model-check.js';
import { writeXml, type XmlObject, type XmlValue } from './xml.js';

/**
 * A stateful fake of EC2's Query API on 127.0.0.1, spoken to by the real @aws-sdk/client-ec2
 * (endpoint override, static keys). Requests are form-encoded POSTs with `Action=...`, decoded
 * against EC2's service model (unknown parameters are refused as EC2 refuses them); answers are
 * XML in EC2's namespace, each checked against the operation's output shape before it is sent
 * (model-check.ts). An answer that fails the check is not sent: it is recorded in `violations`
 * and the connection is dropped, so the test fails.
 *
 * State lives per region (taken from the request's SigV4 credential scope): instances move
 * pending -> running, stopping -> stopped, shutting-down -> terminated after configurable delays;
 * RunInstances honours ClientToken; security groups, key pairs and images behave as EC2's do for
 * what the adapter uses. Faults (EC2 error codes, dropped connections, answers after the work
 * was done) are injected per action. Test code only.
 */

export type Ec2State =
  'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

const STATE_CODES: Readonly<Record<Ec2State, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface FakeInstance {
  readonly id: string;
  readonly region: string;
  readonly type: FakeType;
  readonly imageId: string;
  readonly keyName: string | undefined;
  groupIds: string[];
  readonly tags: Map<string, string>;
  state: Ec2State;
  /** When the current state began (Date.now()). */
  since: number;
  /** A state name outside the model that a test forced (the adapter must log and fall back). */
  forcedState?: string;
  readonly clientToken: string | undefined;
  readonly launchTime: Date;
  readonly userData: string | undefined;
  readonly zone: string;
  readonly rootVolumeGiB: number | undefined;
  readonly privateIp: string | undefined;
  readonly publicIp: string | undefined;
}

export interface FakePermission {
  readonly protocol: string;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly cidr: string;
}

export interface FakeGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tags: Map<string, string>;
  ingress: FakePermission[];
  egress: FakePermission[];
}

export interface FakeKeyPair {
  readonly id: string;
  readonly name: string;
  readonly material: string;
}

export interface FakeImage {
  readonly id: string;
  readonly name: string;
  readonly ownerAlias: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly creationDate: string;
  readonly rootDeviceName: string;
}

export interface FakeRegion {
  readonly name: string;
  readonly optIn: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
}

/** A fault: an EC2 error code and message (or a dropped connection) on an action. */
export interface Fault extends InjectedFault {
  readonly code?: string;
  readonly message?: string;
}

export interface Ec2FakeOptions {
  readonly regions?: readonly FakeRegion[];
  readonly types?: readonly FakeType[];
  /** Time from launch or start to running. Default 50 ms. */
  readonly bootMs?: number;
  /** Time from stop to stopped. Default 50 ms. */
  readonly stopMs?: number;
  /** Time from terminate to terminated. Default 50 ms. */
  readonly terminateMs?: number;
  /** Most items per page, below any MaxResults asked for. Default 1000. */
  readonly pageSize?: number;
  /** The account's vCPU limit for running instances. Default unlimited. */
  readonly vcpuQuota?: number;
  /**
   * Give instances documentation addresses (198.51.100.0/24). Off by default: nothing may
   * connect to them, and the conformance suite skips its SSH checks without an address.
   */
  readonly addresses?: boolean;
  readonly sessionToken?: string;
}

export interface RecordedRequest {
  readonly action: string;
  readonly region: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
}

export const FAKE_ACCESS_KEY_ID = 'AKIAFAKEFAKEFAKE0001';
const OWNER_ID = '123456789012';

const DEFAULT_REGIONS: readonly FakeRegion[] = [
  { name: 'us-east-1', optIn: 'opt-in-not-required' },
  { name: 'us-west-2', optIn: 'opt-in-not-required' },
  { name: 'eu-central-1', optIn: 'opt-in-not-required' },
  { name: 'ap-east-1', optIn: 'not-opted-in' },
];

class Ec2Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** HTTP statuses EC2 answers its errors with (its server-side errors are 5xx). */
function statusOf(code: string): number {
  if (code === 'AuthFailure') return 401;
  if (code === 'UnauthorizedOperation') return 403;
  if (code === 'RequestLimitExceeded' || code === 'Unavailable' || code === 'ServiceUnavailable')
    return 503;
  if (code.startsWith('Insufficient') || code === 'InternalError') return 500;
  return 400;
}

type Handler = (input: Record<string, unknown>, region: string) => XmlObject;

export class Ec2Fake {
  readonly violations: Error[] = [];
  /** Requests refused because the model does not allow them (the adapter's bugs). */
  readonly refused: { action: string; code: string; message: string }[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly instances = new Map<string, FakeInstance>();
  readonly groups = new Map<string, FakeGroup & { region: string }>();
  readonly keyPairs = new Map<string, FakeKeyPair & { region: string }>();
  readonly images: (FakeImage & { region: string })[] = [];
  readonly secretAccessKey = `fake-secret-${randomBytes(12).toString('hex')}`;
  readonly regions: readonly FakeRegion[];
  private readonly types: readonly FakeType[];
  private readonly checker = new ModelChecker(loadEc2Model());
  private readonly faults = new FaultQueue<Fault>();
  private readonly server: Server;
  private readonly handlers: Readonly<Record<string, Handler>>;
  private readonly clientTokens = new Map<string, string>();
  private capacityExhausted = false;
  private counter = 0;

  private constructor(private readonly options: Ec2FakeOptions) {
    this.regions = options.regions ?? DEFAULT_REGIONS;
    this.types = options.types ?? FAKE_TYPES;
    for (const region of this.regions) {
      this.addImage(region.name, 'x86_64', '2024-05-01T00:00:00.000Z');
      this.addImage(region.name, 'x86_64', '2025-02-01T00:00:00.000Z');
      this.addImage(region.name, 'arm64', '2025-02-01T00:00:00.000Z');
    }
    this.handlers = {
      DescribeRegions: (i) => this.describeRegions(i),
      DescribeInstanceTypes: (i) => this.describeInstanceTypes(i),
      DescribeImages: (i, r) => this.describeImages(i, r),
      DescribeKeyPairs: (i, r) => this.describeKeyPairs(i, r),
      ImportKeyPair: (i, r) => this.importKeyPair(i, r),
      DescribeSecurityGroups: (i, r) => this.describeSecurityGroups(i, r),
      CreateSecurityGroup: (i, r) => this.createSecurityGroup(i, r),
      AuthorizeSecurityGroupIngress: (i, r) => this.changePermissions(i, r, 'ingress', 'add'),
      AuthorizeSecurityGroupEgress: (i, r) => this.changePermissions(i, r, 'egress', 'add'),
      RevokeSecurityGroupIngress: (i, r) => this.changePermissions(i, r, 'ingress', 'remove'),
      RevokeSecurityGroupEgress: (i, r) => this.changePermissions(i, r, 'egress', 'remove'),
      RunInstances: (i, r) => this.runInstances(i, r),
      DescribeInstances: (i, r) => this.describeInstances(i, r),
      TerminateInstances: (i, r) => this.changeStates(i, r, 'terminate'),
      StopInstances: (i, r) => this.changeStates(i, r, 'stop'),
      StartInstances: (i, r) => this.changeStates(i, r, 'start'),
      RebootInstances: (i, r) => this.changeStates(i, r, 'reboot'),
      CreateTags: (i, r) => this.createTags(i, r),
      ModifyInstanceAttribute: (i, r) => this.modifyInstanceAttribute(i, r),
    };
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        this.violations.push(err instanceof Error ? err : new Error(String(err)));
        res.socket?.destroy();
      });
    });
  }

  static async start(options: Ec2FakeOptions = {}): Promise<Ec2Fake> {
    const fake = new Ec2Fake(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('the fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** A credential for this fake: the given regions (default the first three) and prices. */
  credential(
    regions: readonly string[] = ['us-east-1', 'us-west-2', 'eu-central-1'],
  ): AwsCredentialInput {
    return {
      accessKeyId: FAKE_ACCESS_KEY_ID,
      secretAccessKey: this.secretAccessKey,
      ...(this.options.sessionToken !== undefined
        ? { sessionToken: this.options.sessionToken }
        : {}),
      regions: [...regions],
      prices: Object.fromEntries(regions.map((r) => [r, { ...FAKE_PRICES }])),
      endpoint: this.url,
    };
  }

  inject(action: string, fault: Fault): () => void {
    return this.faults.inject(action, fault);
  }

  /** Launches fail with InsufficientInstanceCapacity until the returned function is called. */
  exhaustCapacity(): () => void {
    this.capacityExhausted = true;
    return () => {
      this.capacityExhausted = false;
    };
  }

  /** Instances not (yet) terminated, with their states brought up to date. */
  live(): FakeInstance[] {
    return [...this.instances.values()].filter((i) => this.advance(i).state !== 'terminated');
  }

  /** An instance someone made outside cloudplane (console, another tool). */
  addForeignInstance(region: string, tags: Record<string, string> = {}): FakeInstance {
    const type = this.types.find((t) => t.gpu) ?? FAKE_TYPES[0];
    if (!type) throw new Error('no types');
    return this.launch(
      region,
      type,
      'ami-foreign',
      undefined,
      [],
      tags,
      undefined,
      undefined,
      undefined,
      undefined,
    );
  }

  /** Forces a state name (possibly one the model does not know) on an instance. */
  forceState(id: string, state: string): void {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    instance.forcedState = state;
  }

  countRequests(action: string): number {
    return this.requests.filter((r) => r.action === action).length;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = form.get('Action') ?? '';
    const requestId = this.nextId('req');
    let region: string;
    try {
      region = this.authenticate(req);
    } catch (err) {
      this.answerError(res, action, requestId, err);
      return;
    }
    let decoded: DecodedRequest;
    try {
      decoded = this.checker.decodeRequest(form);
    } catch (err) {
      if (!(err instanceof RequestProblem)) throw err;
      this.refused.push({ action, code: err.code, message: err.message });
      this.answerError(res, action, requestId, new Ec2Error(400, err.code, err.message));
      return;
    }
    this.requests.push({ action, region, input: decoded.input, at: Date.now() });
    const fault = this.faults.take(action);
    if (fault && fault.afterHandling !== true) {
      this.answerFault(res, action, requestId, fault);
      return;
    }
    let body: XmlObject | undefined;
    let failure: unknown;
    try {
      const handler = this.handlers[action];
      if (!handler)
        throw new Ec2Error(400, 'InvalidAction', `The fake does not implement ${action}.`);
      body = handler(decoded.input, region);
    } catch (err) {
      failure = err;
    }
    if (fault) {
      this.answerFault(res, action, requestId, fault);
      return;
    }
    if (failure !== undefined || body === undefined) {
      this.answerError(res, action, requestId, failure);
      return;
    }
    this.send(
      res,
      action,
      200,
      writeXml(
        `${action}Response`,
        { xmlns: this.checker.model.namespace },
        { requestId, ...body },
      ),
    );
  }

  /** The region of the request, from its SigV4 scope; the key id and token must be ours. */
  private authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization ?? '';
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ec2\/aws4_request/.exec(header);
    if (!scope || scope[1] !== FAKE_ACCESS_KEY_ID) {
      throw new Ec2Error(
        401,
        'AuthFailure',
        'AWS was not able to validate the provided access credentials',
      );
    }
    const token = req.headers['x-amz-security-token'];
    if (this.options.sessionToken !== undefined && token !== this.options.sessionToken) {
      throw new Ec2Error(
        400,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    const region = scope[2] ?? '';
    const known = this.regions.find((r) => r.name === region);
    if (!known) throw new Ec2Error(401, 'AuthFailure', `the fake serves no region ${region}`);
    if (known.optIn === 'not-opted-in') {
      throw new Ec2Error(
        401,
        'OptInRequired',
        `You are not subscribed to this service in ${region}.`,
      );
    }
    return region;
  }

  private answerFault(res: ServerResponse, action: string, requestId: string, fault: Fault): void {
    if (fault.drop === true) {
      res.socket?.destroy();
      return;
    }
    const code = fault.code ?? 'InternalError';
    this.answerError(
      res,
      action,
      requestId,
      new Ec2Error(fault.status ?? statusOf(code), code, fault.message ?? `injected ${code}`),
    );
  }

  private answerError(res: ServerResponse, action: string, requestId: string, err: unknown): void {
    if (!(err instanceof Ec2Error)) throw err instanceof Error ? err : new Error(String(err));
    const xml = writeXml(
      'Response',
      {},
      {
        Errors: { Error: { Code: err.code, Message: err.message } },
        RequestID: requestId,
      },
    );
    this.send(res, action, err.status, xml);
  }

  private send(res: ServerResponse, action: string, status: number, xml: string): void {
    const problems = this.checker.checkAnswer(action, status, xml);
    if (problems.length > 0) {
      throw new Error(
        `the fake's ${action} answer breaks the EC2 model:\n  ${problems.join('\n  ')}`,
      );
    }
    res.writeHead(status, {
      'content-type': 'text/xml;charset=UTF-8',
      'content-length': Buffer.byteLength(xml),
    });
    res.end(xml);
  }

  // ---- state --------------------------------------------------------------------------------

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}-${this.counter.toString(16).padStart(8, '0')}${randomBytes(4).toString('hex')}`;
  }

  private addImage(region: string, architecture: 'x86_64' | 'arm64', creationDate: string): void {
    const base =
      architecture === 'arm64'
        ? 'Deep Learning ARM64 Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04)'
        : 'Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04)';
    this.images.push({
      region,
      id: `ami-${createHash('sha256').update(`${region}${architecture}${creationDate}`).digest('hex').slice(0, 17)}`,
      name: `${base} ${creationDate.slice(0, 10).replace(/-/g, '')}`,
      ownerAlias: 'amazon',
      architecture,
      creationDate,
      rootDeviceName: '/dev/sda1',
    });
  }

  /** Moves an instance along its timed transitions. */
  private advance(instance: FakeInstance): FakeInstance {
    const elapsed = Date.now() - instance.since;
    const next = (state: Ec2State, after: number) => {
      if (elapsed >= after) {
        instance.state = state;
        instance.since = instance.since + after;
      }
    };
    if (instance.state === 'pending') next('running', this.options.bootMs ?? 50);
    else if (instance.state === 'stopping') next('stopped', this.options.stopMs ?? 50);
    else if (instance.state === 'shutting-down') next('terminated', this.options.terminateMs ?? 50);
    return instance;
  }

  private setState(instance: FakeInstance, state: Ec2State): void {
    instance.state = state;
    instance.since = Date.now();
  }

  private launch(
    region: string,
    type: FakeType,
    imageId: string,
    keyName: string | undefined,
    groupIds: string[],
    tags: Record<string, string>,
    clientToken: string | undefined,
    userData: string | undefined,
    zone: string | undefined,
    rootVolumeGiB: number | undefined,
  ): FakeInstance {
    const host = (this.instances.size % 250) + 2;
    const instance: FakeInstance = {
      id: `i-${randomBytes(9).toString('hex').slice(0, 17)}`,
      region,
      type,
      imageId,
      keyName,
      groupIds,
      tags: new Map(Object.entries(tags)),
      state: 'pending',
      since: Date.now(),
      clientToken,
      launchTime: new Date(),
      userData,
      zone: zone ?? `${region}a`,
      rootVolumeGiB,
      privateIp: this.options.addresses === true ? `10.0.2.${host}` : undefined,
      publicIp: this.options.addresses === true ? `198.51.100.${host}` : undefined,
    };
    this.instances.set(instance.id, instance);
    return instance;
  }

  private instanceIn(region: string, id: string): FakeInstance {
    if (!/^i-[0-9a-f]{8,17}$/.test(id)) {
      throw new Ec2Error(400, 'InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    }
    const instance = this.instances.get(id);
    if (!instance || instance.region !== region) {
      throw new Ec2Error(
        400,
        'InvalidInstanceID.NotFound',
        `The instance ID '${id}' does not exist`,
      );
    }
    return this.advance(instance);
  }

  // ---- XML of the state ---------------------------------------------------------------------

  private instanceXml(instance: FakeInstance): XmlObject {
    const state = instance.forcedState ?? instance.state;
    const running = instance.state === 'running' || instance.state === 'pending';
    const groups = instance.groupIds.map((id) => ({
      groupId: id,
      groupName: this.groups.get(id)?.name ?? id,
    }));
    return {
      instanceId: instance.id,
      imageId: instance.imageId,
      instanceState: { code: STATE_CODES[instance.state], name: state },
      privateDnsName: instance.privateIp
        ? `ip-${instance.privateIp.replace(/\./g, '-')}.ec2.internal`
        : '',
      dnsName:
        running && instance.publicIp
          ? `ec2-${instance.publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com`
          : '',
      reason: '',
      keyName: instance.keyName,
      amiLaunchIndex: 0,
      instanceType: instance.type.name,
      launchTime: instance.launchTime,
      placement: { availabilityZone: instance.zone, groupName: '', tenancy: 'default' },
      monitoring: { state: 'disabled' },
      privateIpAddress: instance.state === 'terminated' ? undefined : instance.privateIp,
      ipAddress: running ? instance.publicIp : undefined,
      groupSet: groups,
      stateReason:
        instance.state === 'terminated'
          ? {
              code: 'Client.UserInitiatedShutdown',
              message: 'Client.UserInitiatedShutdown: User initiated shutdown',
            }
          : undefined,
      architecture: instance.type.architectures[0],
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/sda1',
      clientToken: instance.clientToken ?? '',
      tagSet:
        instance.tags.size > 0
          ? [...instance.tags].map(([key, value]) => ({ key, value }))
          : undefined,
      hypervisor: 'xen',
      virtualizationType: 'hvm',
    };
  }

  private stateXml(state: Ec2State): XmlObject {
    return { code: STATE_CODES[state], name: state };
  }

  // ---- actions ------------------------------------------------------------------------------

  private describeRegions(input: Record<string, unknown>): XmlObject {
    const all = input.AllRegions === true;
    return {
      regionInfo: this.regions
        .filter((r) => all || r.optIn !== 'not-opted-in')
        .map((r) => ({
          regionName: r.name,
          regionEndpoint: `ec2.${r.name}.amazonaws.com`,
          optInStatus: r.optIn,
        })),
    };
  }

  private describeInstanceTypes(input: Record<string, unknown>): XmlObject {
    const names = strings(input.InstanceTypes);
    const filters = filtersOf(input.Filters);
    for (const name of Object.keys(filters)) {
      if (name !== 'instance-type') throw invalidFilter(name);
    }
    if (names.length > 0 && input.MaxResults !== undefined) {
      throw new Ec2Error(
        400,
        'InvalidParameterCombination',
        'MaxResults cannot be combined with InstanceTypes',
      );
    }
    const unknownName = names.find((n) => !this.types.some((t) => t.name === n));
    if (unknownName !== undefined) {
      throw new Ec2Error(
        400,
        'InvalidInstanceType',
        `The following supplied instance types do not exist: [${unknownName}]`,
      );
    }
    const patterns = filters['instance-type'];
    const matching = this.types.filter(
      (t) =>
        (names.length === 0 || names.includes(t.name)) &&
        (patterns === undefined || patterns.some((p) => wildcardMatch(p, t.name))),
    );
    const { page, nextToken } = this.paginate(matching, input, 100);
    return { instanceTypeSet: page.map(typeXml), nextToken };
  }

  private describeImages(input: Record<string, unknown>, region: string): XmlObject {
    const ids = strings(input.ImageIds);
    const owners = strings(input.Owners);
    const filters = filtersOf(input.Filters);
    for (const name of Object.keys(filters)) {
      if (!['name', 'architecture', 'state'].includes(name)) throw invalidFilter(name);
    }
    const inRegion = this.images.filter((i) => i.region === region);
    const missing = ids.find((id) => !inRegion.some((i) => i.id === id));
    if (missing !== undefined) {
      throw new Ec2Error(
        400,
        'InvalidAMIID.NotFound',
        `The image id '[${missing}]' does not exist`,
      );
    }
    const matches = (values: string[] | undefined, value: string) =>
      values === undefined || values.some((v) => wildcardMatch(v, value));
    const found = inRegion.filter(
      (i) =>
        (ids.length === 0 || ids.includes(i.id)) &&
        (owners.length === 0 || owners.includes(i.ownerAlias) || owners.includes(OWNER_ID)) &&
        matches(filters.name, i.name) &&
        matches(filters.architecture, i.architecture) &&
        matches(filters.state, 'available'),
    );
    return {
      imagesSet: found.map((i) => ({
        imageId: i.id,
        imageLocation: `amazon/${i.name}`,
        imageState: 'available',
        imageOwnerId: '898082745236',
        creationDate: i.creationDate,
        isPublic: true,
        architecture: i.architecture,
        imageType: 'machine',
        imageOwnerAlias: i.ownerAlias,
        name: i.name,
        rootDeviceType: 'ebs',
        rootDeviceName: i.rootDeviceName,
        virtualizationType: 'hvm',
        hypervisor: 'xen',
      })),
    };
  }

  private describeKeyPairs(input: Record<string, unknown>, region: string): XmlObject {
    const names = strings(input.KeyNames);
    const inRegion = [...this.keyPairs.values()].filter((k) => k.region === region);
    const missing = names.find((n) => !inRegion.some((k) => k.name === n));
    if (missing !== undefined) {
      throw new Ec2Error(
        400,
        'InvalidKeyPair.NotFound',
        `The key pair '${missing}' does not exist`,
      );
    }
    return {
      keySet: inRegion
        .filter((k) => names.length === 0 || names.includes(k.name))
        .map((k) => ({
          keyPairId: k.id,
          keyFingerprint: fingerprint(k.material),
          keyName: k.name,
          keyType: k.material.startsWith('ssh-ed25519') ? 'ed25519' : 'rsa',
          // EC2 writes the key back with the key pair's name as its comment.
          publicKey:
            input.IncludePublicKey === true
              ? `${k.material.split(' ').slice(0, 2).join(' ')} ${k.name}`
              : undefined,
        })),
    };
  }

  private importKeyPair(input: Record<string, unknown>, region: string): XmlObject {
    const name = String(input.KeyName);
    const material = text(input.PublicKeyMaterial).trim();
    if ([...this.keyPairs.values()].some((k) => k.region === region && k.name === name)) {
      throw new Ec2Error(400, 'InvalidKeyPair.Duplicate', `The keypair already exists`);
    }
    if (!/^(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+=*( .*)?$/.test(material)) {
      throw new Ec2Error(400, 'InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
    }
    const key = { region, id: this.nextId('key'), name, material };
    this.keyPairs.set(key.id, key);
    return { keyFingerprint: fingerprint(material), keyName: name, keyPairId: key.id };
  }

  private groupsIn(region: string): (FakeGroup & { region: string })[] {
    return [...this.groups.values()].filter((g) => g.region === region);
  }

  private describeSecurityGroups(input: Record<string, unknown>, region: string): XmlObject {
    const names = strings(input.GroupNames);
    const ids = strings(input.GroupIds);
    if (Object.keys(filtersOf(input.Filters)).length > 0)
      throw invalidFilter(Object.keys(filtersOf(input.Filters))[0] ?? '');
    const inRegion = this.groupsIn(region);
    for (const name of names) {
      if (!inRegion.some((g) => g.name === name)) {
        throw new Ec2Error(
          400,
          'InvalidGroup.NotFound',
          `The security group '${name}' does not exist in default VPC 'vpc-fake'`,
        );
      }
    }
    for (const id of ids) {
      if (!inRegion.some((g) => g.id === id))
        throw new Ec2Error(
          400,
          'InvalidGroup.NotFound',
          `The security group '${id}' does not exist`,
        );
    }
    const found = inRegion.filter(
      (g) =>
        (names.length === 0 || names.includes(g.name)) && (ids.length === 0 || ids.includes(g.id)),
    );
    const { page, nextToken } = this.paginate(found, input, 1000);
    return {
      securityGroupInfo: page.map((g) => ({
        ownerId: OWNER_ID,
        groupName: g.name,
        groupId: g.id,
        groupDescription: g.description,
        ipPermissions: g.ingress.map(permissionXml),
        ipPermissionsEgress: g.egress.map(permissionXml),
        vpcId: 'vpc-0fake',
        tagSet: g.tags.size > 0 ? [...g.tags].map(([key, value]) => ({ key, value })) : undefined,
      })),
      nextToken,
    };
  }

  private createSecurityGroup(input: Record<string, unknown>, region: string): XmlObject {
    const name = String(input.GroupName);
    if (this.groupsIn(region).some((g) => g.name === name)) {
      throw new Ec2Error(
        400,
        'InvalidGroup.Duplicate',
        `The security group '${name}' already exists for VPC 'vpc-0fake'`,
      );
    }
    const group = {
      region,
      id: `sg-${randomBytes(9).toString('hex').slice(0, 17)}`,
      name,
      description: String(input.Description),
      tags: new Map(Object.entries(tagsOf(input.TagSpecifications, 'security-group'))),
      ingress: [],
      // EC2 gives every new VPC group an allow-all egress rule (IPv4).
      egress: [{ protocol: '-1', cidr: '0.0.0.0/0' }],
    };
    this.groups.set(group.id, group);
    return { groupId: group.id };
  }

  private changePermissions(
    input: Record<string, unknown>,
    region: string,
    direction: 'ingress' | 'egress',
    change: 'add' | 'remove',
  ): XmlObject {
    const group = this.groupsIn(region).find((g) => g.id === input.GroupId);
    if (!group)
      throw new Ec2Error(
        400,
        'InvalidGroup.NotFound',
        `The security group '${String(input.GroupId)}' does not exist`,
      );
    const asked = permissionsOf(input.IpPermissions);
    const key = (p: FakePermission) =>
      `${p.protocol}:${p.fromPort ?? ''}:${p.toPort ?? ''}:${p.cidr}`;
    const have = new Set(group[direction].map(key));
    if (change === 'add') {
      const duplicate = asked.find((p) => have.has(key(p)));
      if (duplicate) {
        throw new Ec2Error(
          400,
          'InvalidPermission.Duplicate',
          `the specified rule "peer: ${duplicate.cidr}, ${duplicate.protocol.toUpperCase()}, from port: ${duplicate.fromPort ?? ''}, to port: ${duplicate.toPort ?? ''}, ALLOW" already exists`,
        );
      }
      group[direction] = [...group[direction], ...asked];
    } else {
      const missing = asked.find((p) => !have.has(key(p)));
      if (missing)
        throw new Ec2Error(
          400,
          'InvalidPermission.NotFound',
          'The specified rule does not exist in this security group.',
        );
      const drop = new Set(asked.map(key));
      group[direction] = group[direction].filter((p) => !drop.has(key(p)));
    }
    return { return: true };
  }

  private runInstances(input: Record<string, unknown>, region: string): XmlObject {
    const typeName = text(input.InstanceType, 'm1.small');
    const type = this.types.find((t) => t.name === typeName);
    if (!type)
      throw new Ec2Error(
        400,
        'InvalidParameterValue',
        `Invalid value '${typeName}' for InstanceType.`,
      );
    const imageId = text(input.ImageId);
    if (!this.images.some((i) => i.region === region && i.id === imageId)) {
      throw new Ec2Error(
        400,
        'InvalidAMIID.NotFound',
        `The image id '[${imageId}]' does not exist`,
      );
    }
    if (input.MinCount !== 1 || input.MaxCount !== 1) {
      throw new Ec2Error(400, 'InvalidParameterValue', 'the fake launches one instance at a time');
    }
    const token = typeof input.ClientToken === 'string' ? input.ClientToken : undefined;
    if (token !== undefined) {
      const earlierId = this.clientTokens.get(`${region}/${token}`);
      const earlier = earlierId === undefined ? undefined : this.instances.get(earlierId);
      if (earlier) {
        if (earlier.type.name !== typeName || earlier.imageId !== imageId) {
          throw new Ec2Error(
            400,
            'IdempotentParameterMismatch',
            'The client token you have provided is associated with a resource that is already deleted or has different parameters.',
          );
        }
        return this.reservationXml([this.advance(earlier)]);
      }
    }
    const keyName = typeof input.KeyName === 'string' ? input.KeyName : undefined;
    if (
      keyName !== undefined &&
      ![...this.keyPairs.values()].some((k) => k.region === region && k.name === keyName)
    ) {
      throw new Ec2Error(
        400,
        'InvalidKeyPair.NotFound',
        `The key pair '${keyName}' does not exist`,
      );
    }
    const groupIds = strings(input.SecurityGroupIds);
    for (const id of groupIds) {
      if (!this.groupsIn(region).some((g) => g.id === id))
        throw new Ec2Error(
          400,
          'InvalidGroup.NotFound',
          `The security group '${id}' does not exist`,
        );
    }
    if (this.capacityExhausted) {
      throw new Ec2Error(
        500,
        'InsufficientInstanceCapacity',
        `We currently do not have sufficient ${typeName} capacity in the Availability Zone you requested (${region}a).`,
      );
    }
    const quota = this.options.vcpuQuota;
    if (quota !== undefined) {
      const used = this.live().reduce((sum, i) => sum + i.type.vcpus, 0);
      if (used + type.vcpus > quota) {
        throw new Ec2Error(
          400,
          'VcpuLimitExceeded',
          `You have requested more vCPU capacity than your current vCPU limit of ${quota} allows.`,
        );
      }
    }
    const placement = input.Placement as { AvailabilityZone?: string } | undefined;
    const mappings = (input.BlockDeviceMappings ?? []) as { Ebs?: { VolumeSize?: number } }[];
    const instance = this.launch(
      region,
      type,
      imageId,
      keyName,
      groupIds,
      tagsOf(input.TagSpecifications, 'instance'),
      token,
      typeof input.UserData === 'string'
        ? Buffer.from(input.UserData, 'base64').toString('utf8')
        : undefined,
      placement?.AvailabilityZone,
      mappings[0]?.Ebs?.VolumeSize,
    );
    if (token !== undefined) this.clientTokens.set(`${region}/${token}`, instance.id);
    return this.reservationXml([instance]);
  }

  private reservationXml(instances: FakeInstance[]): XmlObject {
    return {
      reservationId: `r-${randomBytes(9).toString('hex').slice(0, 17)}`,
      ownerId: OWNER_ID,
      groupSet: [],
      instancesSet: instances.map((i) => this.instanceXml(i)),
    };
  }

  private describeInstances(input: Record<string, unknown>, region: string): XmlObject {
    const ids = strings(input.InstanceIds);
    if (ids.length > 0 && input.MaxResults !== undefined) {
      throw new Ec2Error(
        400,
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    for (const id of ids) this.instanceIn(region, id);
    const filters = filtersOf(input.Filters);
    const matchers: ((i: FakeInstance) => boolean)[] = [];
    for (const [name, values] of Object.entries(filters)) {
      if (name === 'instance-id') matchers.push((i) => values.includes(i.id));
      else if (name === 'instance-state-name') matchers.push((i) => values.includes(i.state));
      else if (name === 'tag-key')
        matchers.push((i) =>
          values.some((v) => [...i.tags.keys()].some((k) => wildcardMatch(v, k))),
        );
      else if (name.startsWith('tag:')) {
        const key = name.slice(4);
        matchers.push((i) => {
          const value = i.tags.get(key);
          return value !== undefined && values.some((v) => wildcardMatch(v, value));
        });
      } else throw invalidFilter(name);
    }
    const found = [...this.instances.values()]
      .filter((i) => i.region === region && (ids.length === 0 || ids.includes(i.id)))
      .map((i) => this.advance(i))
      .filter((i) => matchers.every((m) => m(i)));
    const { page, nextToken } = this.paginate(found, input, 1000);
    // One reservation per instance, as launches of one instance each make.
    return { reservationSet: page.map((i) => this.reservationXml([i])), nextToken };
  }

  private changeStates(
    input: Record<string, unknown>,
    region: string,
    change: 'terminate' | 'stop' | 'start' | 'reboot',
  ): XmlObject {
    const instances = strings(input.InstanceIds).map((id) => this.instanceIn(region, id));
    const changes = instances.map((instance) => {
      const previous = instance.state;
      if (change === 'terminate') {
        if (previous !== 'terminated' && previous !== 'shutting-down')
          this.setState(instance, 'shutting-down');
      } else if (change === 'stop') {
        if (previous === 'pending' || previous === 'terminated' || previous === 'shutting-down') {
          throw new Ec2Error(
            400,
            'IncorrectInstanceState',
            `This instance '${instance.id}' is not in a state from which it can be stopped.`,
          );
        }
        if (previous === 'running') this.setState(instance, 'stopping');
      } else if (change === 'start') {
        if (previous === 'stopping' || previous === 'terminated' || previous === 'shutting-down') {
          throw new Ec2Error(
            400,
            'IncorrectInstanceState',
            `The instance '${instance.id}' is not in a state from which it can be started.`,
          );
        }
        if (previous === 'stopped') this.setState(instance, 'pending');
      } else if (previous !== 'running' && previous !== 'pending') {
        throw new Ec2Error(
          400,
          'IncorrectInstanceState',
          `The instance '${instance.id}' is not in a state from which it can be rebooted.`,
        );
      }
      return {
        instanceId: instance.id,
        currentState: this.stateXml(instance.state),
        previousState: this.stateXml(previous),
      };
    });
    return change === 'reboot' ? { return: true } : { instancesSet: changes };
  }

  private createTags(input: Record<string, unknown>, region: string): XmlObject {
    const tags = (input.Tags ?? []) as { Key?: string; Value?: string }[];
    for (const id of strings(input.Resources)) {
      const target = id.startsWith('sg-')
        ? this.groupsIn(region).find((g) => g.id === id)
        : this.instanceIn(region, id);
      if (!target) throw new Ec2Error(400, 'InvalidID', `The ID '${id}' is not valid`);
      for (const tag of tags) target.tags.set(tag.Key ?? '', tag.Value ?? '');
    }
    return { return: true };
  }

  private modifyInstanceAttribute(input: Record<string, unknown>, region: string): XmlObject {
    const instance = this.instanceIn(region, String(input.InstanceId));
    const groups = strings(input.Groups);
    if (groups.length === 0)
      throw new Ec2Error(
        400,
        'InvalidParameterCombination',
        'the fake only changes security groups',
      );
    for (const id of groups) {
      if (!this.groupsIn(region).some((g) => g.id === id))
        throw new Ec2Error(
          400,
          'InvalidGroup.NotFound',
          `The security group '${id}' does not exist`,
        );
    }
    instance.groupIds = groups;
    return { return: true };
  }

  /** A page of `items` per MaxResults (within the model's bounds) and the fake's page size. */
  private paginate<T>(
    items: readonly T[],
    input: Record<string, unknown>,
    defaultMax: number,
  ): { page: T[]; nextToken: string | undefined } {
    const start = typeof input.NextToken === 'string' ? decodeToken(input.NextToken) : 0;
    const asked = typeof input.MaxResults === 'number' ? input.MaxResults : defaultMax;
    const size = Math.min(asked, this.options.pageSize ?? defaultMax);
    const page = items.slice(start, start + size);
    const end = start + page.length;
    return {
      page,
      nextToken: end < items.length ? Buffer.from(`offset:${end}`).toString('base64') : undefined,
    };
  }
}

function decodeToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match)
    throw new Ec2Error(400, 'InvalidParameterValue', `Invalid value '${token}' for nextToken`);
  return Number(match[1]);
}

/** A decoded scalar as text (the model check already typed it). */
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function filtersOf(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const filter of (Array.isArray(value) ? value : []) as {
    Name?: string;
    Values?: string[];
  }[]) {
    out[filter.Name ?? ''] = [...(out[filter.Name ?? ''] ?? []), ...(filter.Values ?? [])];
  }
  return out;
}

function invalidFilter(name: string): Ec2Error {
  return new Ec2Error(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
}

function tagsOf(specifications: unknown, resourceType: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of (Array.isArray(specifications) ? specifications : []) as {
    ResourceType?: string;
    Tags?: { Key?: string; Value?: string }[];
  }[]) {
    if (spec.ResourceType !== resourceType) continue;
    for (const tag of spec.Tags ?? []) out[tag.Key ?? ''] = tag.Value ?? '';
  }
  return out;
}

function permissionsOf(value: unknown): FakePermission[] {
  type Wire = {
    IpProtocol?: string;
    FromPort?: number;
    ToPort?: number;
    IpRanges?: { CidrIp?: string }[];
    Ipv6Ranges?: { CidrIpv6?: string }[];
  };
  return ((Array.isArray(value) ? value : []) as Wire[]).flatMap((p) => {
    const protocol = p.IpProtocol ?? '';
    const ports = protocol === '-1' ? {} : { fromPort: p.FromPort, toPort: p.ToPort };
    return [
      ...(p.IpRanges ?? []).map((r) => ({ protocol, ...ports, cidr: r.CidrIp ?? '' })),
      ...(p.Ipv6Ranges ?? []).map((r) => ({ protocol, ...ports, cidr: r.CidrIpv6 ?? '' })),
    ];
  });
}

function permissionXml(p: FakePermission): XmlValue {
  const v6 = p.cidr.includes(':');
  return {
    ipProtocol: p.protocol,
    fromPort: p.fromPort,
    toPort: p.toPort,
    groups: [],
    ipRanges: v6 ? [] : [{ cidrIp: p.cidr }],
    ipv6Ranges: v6 ? [{ cidrIpv6: p.cidr }] : undefined,
    prefixListIds: [],
  };
}

function fingerprint(material: string): string {
  const blob = Buffer.from(material.split(' ')[1] ?? '', 'base64');
  return createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}
