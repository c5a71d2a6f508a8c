import {
  bytesIn,
  checkUserTags,
  CloudError,
  correlationTags,
  composeUserData,
  CreateInstanceAttrsSchema,
  firewallScript,
  type CorrelationIds,
  type CreateInstanceAttrs,
} from '@cloudplane/sdk';
import { splitTypeName } from './catalog.js';
import { LABEL_SCHEME } from './instances.js';
import type { CreateInstanceRequest } from './proto.js';

/** What a launch sends, decided before anything is sent. */

export type ParsedAttrs = ReturnType<typeof CreateInstanceAttrsSchema.parse>;

/** Nebius's public image family with NVIDIA drivers and CUDA, used when no image is given. */
export const DEFAULT_IMAGE_FAMILY = 'ubuntu22.04-cuda12';
/** The boot disk when the launch names no size. */
export const DEFAULT_BOOT_DISK_GIB = 100;
/** InstanceSpec.cloud_init_user_data's limit (instance.proto). */
export const MAX_USER_DATA_CHARS = 32_768;

export interface LaunchPlan {
  readonly attrs: ParsedAttrs;
  readonly ids: CorrelationIds;
  readonly projectId: string;
  readonly subnetId: string;
  readonly imageFamily: string | undefined;
  /** Keeps names unique in the project (Nebius refuses a second resource with a used name). */
  readonly suffix: string;
  readonly idempotencyKey: string;
}

function invalid(what: string): CloudError {
  return new CloudError('INVALID_ARGUMENT', { message: `create instance: ${what}` });
}

/** The attrs, checked; what Nebius cannot honour is refused, never dropped. */
export function parseAttrs(input: CreateInstanceAttrs, region: string): ParsedAttrs {
  const parsed = CreateInstanceAttrsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join('.') || 'attrs'}: ${issue?.message ?? 'invalid'}`);
  }
  const attrs = parsed.data;
  if (attrs.location !== region) {
    throw invalid(
      `this credential's project is in ${region}; it cannot launch in ${attrs.location} (use a credential for a project there)`,
    );
  }
  if (attrs.subLocation !== undefined) {
    throw invalid('Nebius regions have no zones to choose; launch without subLocation');
  }
  if (!splitTypeName(attrs.instanceType)) {
    throw invalid(
      `"${attrs.instanceType}" is not a Nebius type name (<platform>.<preset>, as the catalog lists them)`,
    );
  }
  checkUserTags(LABEL_SCHEME, attrs.tags, 'create instance');
  if (attrs.diskSize !== undefined) {
    const gib = bytesIn(attrs.diskSize, 'GiB');
    if (!Number.isInteger(gib) || gib < 1) {
      throw invalid('diskSize must be a whole number of GiB, at least 1');
    }
  }
  return attrs;
}

/** The CreateInstanceRequest of a plan. */
export function createRequest(plan: LaunchPlan): CreateInstanceRequest & {
  metadata: { name: string };
} {
  const { attrs, ids } = plan;
  const split = splitTypeName(attrs.instanceType);
  if (!split) throw invalid(`"${attrs.instanceType}" is not a Nebius type name`);
  const name = instanceName(attrs.name, plan.suffix);
  const diskGiB =
    attrs.diskSize === undefined ? DEFAULT_BOOT_DISK_GIB : bytesIn(attrs.diskSize, 'GiB');
  return {
    metadata: {
      parentId: plan.projectId,
      name,
      labels: {
        ...attrs.tags,
        ...correlationTags(LABEL_SCHEME, ids),
      },
    },
    spec: {
      resources: { platform: split.platform, preset: split.preset },
      bootDisk: {
        attachMode: 'READ_WRITE',
        managedDisk: {
          name: `${name}-boot`,
          spec: {
            sizeGibibytes: String(diskGiB),
            type: 'NETWORK_SSD',
            ...(attrs.imageId !== undefined
              ? { sourceImageId: attrs.imageId }
              : { sourceImageFamily: { imageFamily: plan.imageFamily ?? DEFAULT_IMAGE_FAMILY } }),
          },
        },
      },
      networkInterfaces: [
        {
          subnetId: plan.subnetId,
          name: 'eth0',
          // Empty messages: a private address from the subnet, and a public one.
          ipAddress: {},
          publicIpAddress: {},
        },
      ],
      cloudInitUserData: userDataOf(attrs),
    },
  };
}

/** `<human name or "cloudplane">-<suffix>`, in the characters Nebius names use. */
function instanceName(label: string | undefined, suffix: string): string {
  const slug = (label ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return `${slug || 'cloudplane'}-${suffix}`;
}

/**
 * Nebius has no SSH-key API: the launching user's key, the user's own user data and, when rules
 * are given, the SDK's firewall script go in as one cloud-init document (the SDK's composer).
 */
function userDataOf(attrs: ParsedAttrs): string {
  const rules = attrs.firewallRules;
  let firewall: string | undefined;
  if (rules && (rules.ingress.length > 0 || rules.egress.length > 0)) {
    try {
      firewall = firewallScript(rules);
    } catch (err) {
      throw invalid(`firewallRules: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const document = composeUserData({
    sshAuthorizedKeys: [attrs.publicKey],
    userData: attrs.userData,
    firewallScript: firewall,
  });
  if (document.length > MAX_USER_DATA_CHARS) {
    throw invalid(
      `the cloud-init document (SSH key, user data, firewall script) has ${document.length} characters; Nebius takes at most ${MAX_USER_DATA_CHARS}`,
    );
  }
  return document;
}
