import type { Instance as Ec2Instance } from '@aws-sdk/client-ec2';
import {
  CloudError,
  instanceTypeId,
  type Instance,
  type Logger,
  type TagCorrelation,
} from '@cloudplane/sdk';
import { PROVIDER_ID } from './catalog.js';
import { statusMap } from './status.js';
import { userTags } from './tags.js';

export const SSH_PORT = 22;

/**
 * One of our instances (`ids` read from its tags) in contract form. `createdAt` is the launch
 * time kept in a tag: EC2's LaunchTime moves with every start of a stopped instance.
 */
export function toInstance(
  wire: Ec2Instance,
  ids: TagCorrelation,
  region: string,
  sshUser: string,
  logger: Logger,
): Instance {
  const { InstanceId: cloudId, InstanceType: type } = wire;
  if (cloudId === undefined || type === undefined) {
    throw new CloudError('INTERNAL', {
      message: `AWS described an instance in ${region} without its ${cloudId === undefined ? 'id' : 'type'}; it cannot be mapped`,
    });
  }
  const createdAt = ids.createdAt ?? wire.LaunchTime?.toISOString() ?? new Date(0).toISOString();
  const tags = userTags(wire.Tags);
  const reason = wire.StateReason?.Message;
  return {
    cloudId,
    refId: ids.refId,
    cloudCredRefId: ids.cloudCredRefId,
    name: tags.Name ?? '',
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: region,
    instanceTypeId: instanceTypeId({ location: region, type }),
    instanceType: type,
    ...(wire.ImageId !== undefined ? { imageId: wire.ImageId } : {}),
    status: statusMap.map(wire.State?.Name ?? 'unknown', {
      logger,
      ...(reason !== undefined && reason !== '' ? { message: reason } : {}),
    }),
    createdAt,
    publicIp: nonEmpty(wire.PublicIpAddress),
    privateIp: nonEmpty(wire.PrivateIpAddress),
    hostname: nonEmpty(wire.PublicDnsName) ?? nonEmpty(wire.PrivateDnsName),
    sshUser,
    sshPort: SSH_PORT,
    tags,
    stoppable: true,
    rebootable: true,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
