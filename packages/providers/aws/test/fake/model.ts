import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * EC2's service model (botocore's service-2.json): what every request may say and every answer
 * must look like. Debian's python3-botocore ships it; CI installs the package, and without it the
 * tests fail with a message saying how to get it rather than passing unchecked.
 */
export const EC2_MODEL_PATH =
  process.env.CLOUDPLANE_EC2_MODEL ??
  '/usr/lib/python3/dist-packages/botocore/data/ec2/2016-11-15/service-2.json';

const MemberRef = z.object({
  shape: z.string(),
  locationName: z.string().optional(),
  queryName: z.string().optional(),
});
export type MemberRef = z.infer<typeof MemberRef>;

const Shape = z.object({
  type: z.enum([
    'structure',
    'list',
    'map',
    'string',
    'integer',
    'long',
    'boolean',
    'double',
    'float',
    'timestamp',
    'blob',
  ]),
  members: z.record(z.string(), MemberRef).optional(),
  member: MemberRef.optional(),
  enum: z.array(z.string()).optional(),
  required: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  flattened: z.boolean().optional(),
});
export type Shape = z.infer<typeof Shape>;

const ModelFile = z.object({
  metadata: z.object({
    apiVersion: z.string(),
    protocol: z.literal('ec2'),
    xmlNamespace: z.string(),
  }),
  operations: z.record(
    z.string(),
    z.object({
      input: z.object({ shape: z.string() }).optional(),
      output: z.object({ shape: z.string() }).optional(),
    }),
  ),
  shapes: z.record(z.string(), Shape),
});

export interface Ec2Model {
  readonly apiVersion: string;
  /** The namespace of every answer, with the trailing slash EC2 writes. */
  readonly namespace: string;
  readonly operations: z.infer<typeof ModelFile>['operations'];
  shape(name: string): Shape;
}

let cached: Ec2Model | undefined;

export function loadEc2Model(path = EC2_MODEL_PATH): Ec2Model {
  if (path === EC2_MODEL_PATH && cached) return cached;
  if (!existsSync(path)) {
    throw new Error(
      `the EC2 service model is missing (${path}); the AWS adapter's fake is checked against it: apt-get install python3-botocore`,
    );
  }
  const file = ModelFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const model: Ec2Model = {
    apiVersion: file.metadata.apiVersion,
    namespace: `${file.metadata.xmlNamespace.replace(/\/$/, '')}/`,
    operations: file.operations,
    shape(name) {
      const found = file.shapes[name];
      if (!found) throw new Error(`the EC2 model has no shape ${name}`);
      return found;
    },
  };
  if (path === EC2_MODEL_PATH) cached = model;
  return model;
}
