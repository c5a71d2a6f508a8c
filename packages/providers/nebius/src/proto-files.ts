import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the adapter's .proto files are. `npm run generate` (scripts/generate.ts) copies the files
 * reachable from ENTRY_FILES out of proto/ (Nebius's published API, MIT) into src/generated/proto,
 * without their buf.validate options (scripts/proto-sources.ts says why); the adapter and the
 * test fake both load them from there, with google/rpc and google/protobuf from google-proto-files.
 */

/** The services and messages the adapter speaks; their imports are followed from here. */
export const ENTRY_FILES = [
  'nebius/compute/v1/instance_service.proto',
  'nebius/compute/v1/platform_service.proto',
  'nebius/common/v1/operation_service.proto',
  'nebius/common/v1/error.proto',
  'nebius/iam/v1/token_exchange_service.proto',
  'nebius/iam/v1/project_service.proto',
  'nebius/vpc/v1/subnet_service.proto',
] as const;

export const GENERATED_PROTO_DIR = fileURLToPath(new URL('./generated/proto', import.meta.url));

/** The directory holding google/rpc and google/protobuf (google-proto-files). */
export function googleProtoRoot(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('google-proto-files/package.json'));
}
