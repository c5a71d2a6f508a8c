import { DescribeImagesCommand, type Image } from '@aws-sdk/client-ec2';
import { CloudError, type CpuArchitecture } from '@cloudplane/sdk';
import type { Ec2Api } from './ec2.js';

/**
 * The image to launch: the one asked for, else the operator's image for the region, else the
 * newest AWS Deep Learning Base AMI (Ubuntu 22.04, NVIDIA driver and CUDA installed) for the
 * type's architecture. Its root device is needed to size the root volume (diskSize).
 */
export const DEFAULT_IMAGE_NAMES: Readonly<Record<CpuArchitecture, string>> = {
  x86_64: 'Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *',
  arm64: 'Deep Learning ARM64 Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *',
};

export interface LaunchImage {
  readonly imageId: string;
  readonly rootDeviceName: string | undefined;
}

export async function resolveImage(
  api: Ec2Api,
  architecture: CpuArchitecture,
  chosen: string | undefined,
): Promise<LaunchImage> {
  if (chosen !== undefined) {
    // DescribeImages answers every match at once when MaxResults is not given.
    const answer = await api.call(`describe image ${chosen}`, 'idempotent', (c, o) =>
      c.send(new DescribeImagesCommand({ ImageIds: [chosen] }), o),
    );
    const image = answer.Images?.find((i) => i.ImageId === chosen);
    if (!image) throw notFound(`image ${chosen} does not exist in ${api.region}`);
    return launchImage(image);
  }
  const answer = await api.call(`find the default image in ${api.region}`, 'idempotent', (c, o) =>
    c.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          { Name: 'name', Values: [DEFAULT_IMAGE_NAMES[architecture]] },
          { Name: 'architecture', Values: [architecture] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
      o,
    ),
  );
  const newest = [...(answer.Images ?? [])]
    .filter((i) => i.ImageId !== undefined)
    .sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  if (!newest) {
    throw notFound(
      `no AWS Deep Learning Base AMI for ${architecture} in ${api.region}; set imageIds in the credential or pass imageId`,
    );
  }
  return launchImage(newest);
}

function launchImage(image: Image): LaunchImage {
  return { imageId: image.ImageId ?? '', rootDeviceName: image.RootDeviceName };
}

function notFound(message: string): CloudError {
  return new CloudError('IMAGE_NOT_FOUND', { message });
}
