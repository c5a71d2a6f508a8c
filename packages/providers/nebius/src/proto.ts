import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as ErrorTypes } from './generated/types/error.js';
import type { ProtoGrpcType as InstanceTypes } from './generated/types/instance_service.js';
import type { ProtoGrpcType as OperationTypes } from './generated/types/operation_service.js';
import type { ProtoGrpcType as PlatformTypes } from './generated/types/platform_service.js';
import type { ProtoGrpcType as ProjectTypes } from './generated/types/project_service.js';
import type { ProtoGrpcType as SubnetTypes } from './generated/types/subnet_service.js';
import type { ProtoGrpcType as TokenTypes } from './generated/types/token_exchange_service.js';
import { ENTRY_FILES, GENERATED_PROTO_DIR, googleProtoRoot } from './proto-files.js';

/**
 * Nebius's API, loaded once per process from src/generated/proto with @grpc/proto-loader. The
 * options are the ones scripts/generate.ts gives proto-loader-gen-types (LOADER_FLAGS), so the
 * decoded objects have exactly the generated types: camelCase fields, 64-bit integers and enums
 * as strings, defaults filled in, and a virtual field naming the member set in each oneof.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [GENERATED_PROTO_DIR, googleProtoRoot()],
};

type NebiusApi = InstanceTypes &
  PlatformTypes &
  OperationTypes &
  ErrorTypes &
  TokenTypes &
  ProjectTypes &
  SubnetTypes;

let loaded: { definition: protoLoader.PackageDefinition; api: NebiusApi } | undefined;

function load() {
  if (!loaded) {
    const definition = protoLoader.loadSync([...ENTRY_FILES], LOADER_OPTIONS);
    // loadPackageDefinition builds its objects at run time from the same files the types were
    // generated from; the generated ProtoGrpcType is the declared shape of that object.
    const api = grpc.loadPackageDefinition(definition) as unknown as NebiusApi;
    loaded = { definition, api };
  }
  return loaded;
}

/** The service constructors and message codecs. */
export function nebiusApi(): NebiusApi {
  return load().api;
}

/** The raw package definition (the fake serves from it). */
export function nebiusPackageDefinition(): protoLoader.PackageDefinition {
  return load().definition;
}

export type { Instance__Output as InstanceMessage } from './generated/types/nebius/compute/v1/Instance.js';
export type { Instance as InstanceInput } from './generated/types/nebius/compute/v1/Instance.js';
export type { Operation__Output as OperationMessage } from './generated/types/nebius/common/v1/Operation.js';
export type { Operation as OperationInput } from './generated/types/nebius/common/v1/Operation.js';
export type { Platform__Output as PlatformMessage } from './generated/types/nebius/compute/v1/Platform.js';
export type { Platform as PlatformInput } from './generated/types/nebius/compute/v1/Platform.js';
export type { ServiceError__Output as ServiceErrorMessage } from './generated/types/nebius/common/v1/ServiceError.js';
export type { ServiceError as ServiceErrorInput } from './generated/types/nebius/common/v1/ServiceError.js';
export type { Status__Output as StatusMessage } from './generated/types/google/rpc/Status.js';
export type { Status as StatusInput } from './generated/types/google/rpc/Status.js';
export type { CreateInstanceRequest } from './generated/types/nebius/compute/v1/CreateInstanceRequest.js';
export type { InstanceServiceClient } from './generated/types/nebius/compute/v1/InstanceService.js';
export type { PlatformServiceClient } from './generated/types/nebius/compute/v1/PlatformService.js';
export type { OperationServiceClient } from './generated/types/nebius/common/v1/OperationService.js';
export type { TokenExchangeServiceClient } from './generated/types/nebius/iam/v1/TokenExchangeService.js';
export type { ProjectServiceClient } from './generated/types/nebius/iam/v1/ProjectService.js';
export type { SubnetServiceClient } from './generated/types/nebius/vpc/v1/SubnetService.js';
export { _nebius_compute_v1_InstanceStatus_InstanceState as INSTANCE_STATES } from './generated/types/nebius/compute/v1/InstanceStatus.js';
