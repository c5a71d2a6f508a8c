import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from './google/protobuf/Any.js';
import type { DescriptorProto as _google_protobuf_DescriptorProto, DescriptorProto__Output as _google_protobuf_DescriptorProto__Output } from './google/protobuf/DescriptorProto.js';
import type { EnumDescriptorProto as _google_protobuf_EnumDescriptorProto, EnumDescriptorProto__Output as _google_protobuf_EnumDescriptorProto__Output } from './google/protobuf/EnumDescriptorProto.js';
import type { EnumOptions as _google_protobuf_EnumOptions, EnumOptions__Output as _google_protobuf_EnumOptions__Output } from './google/protobuf/EnumOptions.js';
import type { EnumValueDescriptorProto as _google_protobuf_EnumValueDescriptorProto, EnumValueDescriptorProto__Output as _google_protobuf_EnumValueDescriptorProto__Output } from './google/protobuf/EnumValueDescriptorProto.js';
import type { EnumValueOptions as _google_protobuf_EnumValueOptions, EnumValueOptions__Output as _google_protobuf_EnumValueOptions__Output } from './google/protobuf/EnumValueOptions.js';
import type { ExtensionRangeOptions as _google_protobuf_ExtensionRangeOptions, ExtensionRangeOptions__Output as _google_protobuf_ExtensionRangeOptions__Output } from './google/protobuf/ExtensionRangeOptions.js';
import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from './google/protobuf/FeatureSet.js';
import type { FeatureSetDefaults as _google_protobuf_FeatureSetDefaults, FeatureSetDefaults__Output as _google_protobuf_FeatureSetDefaults__Output } from './google/protobuf/FeatureSetDefaults.js';
import type { FieldDescriptorProto as _google_protobuf_FieldDescriptorProto, FieldDescriptorProto__Output as _google_protobuf_FieldDescriptorProto__Output } from './google/protobuf/FieldDescriptorProto.js';
import type { FieldOptions as _google_protobuf_FieldOptions, FieldOptions__Output as _google_protobuf_FieldOptions__Output } from './google/protobuf/FieldOptions.js';
import type { FileDescriptorProto as _google_protobuf_FileDescriptorProto, FileDescriptorProto__Output as _google_protobuf_FileDescriptorProto__Output } from './google/protobuf/FileDescriptorProto.js';
import type { FileDescriptorSet as _google_protobuf_FileDescriptorSet, FileDescriptorSet__Output as _google_protobuf_FileDescriptorSet__Output } from './google/protobuf/FileDescriptorSet.js';
import type { FileOptions as _google_protobuf_FileOptions, FileOptions__Output as _google_protobuf_FileOptions__Output } from './google/protobuf/FileOptions.js';
import type { GeneratedCodeInfo as _google_protobuf_GeneratedCodeInfo, GeneratedCodeInfo__Output as _google_protobuf_GeneratedCodeInfo__Output } from './google/protobuf/GeneratedCodeInfo.js';
import type { MessageOptions as _google_protobuf_MessageOptions, MessageOptions__Output as _google_protobuf_MessageOptions__Output } from './google/protobuf/MessageOptions.js';
import type { MethodDescriptorProto as _google_protobuf_MethodDescriptorProto, MethodDescriptorProto__Output as _google_protobuf_MethodDescriptorProto__Output } from './google/protobuf/MethodDescriptorProto.js';
import type { MethodOptions as _google_protobuf_MethodOptions, MethodOptions__Output as _google_protobuf_MethodOptions__Output } from './google/protobuf/MethodOptions.js';
import type { OneofDescriptorProto as _google_protobuf_OneofDescriptorProto, OneofDescriptorProto__Output as _google_protobuf_OneofDescriptorProto__Output } from './google/protobuf/OneofDescriptorProto.js';
import type { OneofOptions as _google_protobuf_OneofOptions, OneofOptions__Output as _google_protobuf_OneofOptions__Output } from './google/protobuf/OneofOptions.js';
import type { ServiceDescriptorProto as _google_protobuf_ServiceDescriptorProto, ServiceDescriptorProto__Output as _google_protobuf_ServiceDescriptorProto__Output } from './google/protobuf/ServiceDescriptorProto.js';
import type { ServiceOptions as _google_protobuf_ServiceOptions, ServiceOptions__Output as _google_protobuf_ServiceOptions__Output } from './google/protobuf/ServiceOptions.js';
import type { SourceCodeInfo as _google_protobuf_SourceCodeInfo, SourceCodeInfo__Output as _google_protobuf_SourceCodeInfo__Output } from './google/protobuf/SourceCodeInfo.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from './google/protobuf/UninterpretedOption.js';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from './google/rpc/Status.js';
import type { DeprecationDetails as _nebius_DeprecationDetails, DeprecationDetails__Output as _nebius_DeprecationDetails__Output } from './nebius/DeprecationDetails.js';
import type { EnumPySDKSettings as _nebius_EnumPySDKSettings, EnumPySDKSettings__Output as _nebius_EnumPySDKSettings__Output } from './nebius/EnumPySDKSettings.js';
import type { EnumValuePySDKSettings as _nebius_EnumValuePySDKSettings, EnumValuePySDKSettings__Output as _nebius_EnumValuePySDKSettings__Output } from './nebius/EnumValuePySDKSettings.js';
import type { FieldPySDKSettings as _nebius_FieldPySDKSettings, FieldPySDKSettings__Output as _nebius_FieldPySDKSettings__Output } from './nebius/FieldPySDKSettings.js';
import type { MessagePySDKSettings as _nebius_MessagePySDKSettings, MessagePySDKSettings__Output as _nebius_MessagePySDKSettings__Output } from './nebius/MessagePySDKSettings.js';
import type { MethodPySDKSettings as _nebius_MethodPySDKSettings, MethodPySDKSettings__Output as _nebius_MethodPySDKSettings__Output } from './nebius/MethodPySDKSettings.js';
import type { NIDFieldSettings as _nebius_NIDFieldSettings, NIDFieldSettings__Output as _nebius_NIDFieldSettings__Output } from './nebius/NIDFieldSettings.js';
import type { OneofPySDKSettings as _nebius_OneofPySDKSettings, OneofPySDKSettings__Output as _nebius_OneofPySDKSettings__Output } from './nebius/OneofPySDKSettings.js';
import type { ServicePySDKSettings as _nebius_ServicePySDKSettings, ServicePySDKSettings__Output as _nebius_ServicePySDKSettings__Output } from './nebius/ServicePySDKSettings.js';
import type { SubfieldSettings as _nebius_SubfieldSettings, SubfieldSettings__Output as _nebius_SubfieldSettings__Output } from './nebius/SubfieldSettings.js';
import type { GetByNameRequest as _nebius_common_v1_GetByNameRequest, GetByNameRequest__Output as _nebius_common_v1_GetByNameRequest__Output } from './nebius/common/v1/GetByNameRequest.js';
import type { GetOperationRequest as _nebius_common_v1_GetOperationRequest, GetOperationRequest__Output as _nebius_common_v1_GetOperationRequest__Output } from './nebius/common/v1/GetOperationRequest.js';
import type { ListOperationsRequest as _nebius_common_v1_ListOperationsRequest, ListOperationsRequest__Output as _nebius_common_v1_ListOperationsRequest__Output } from './nebius/common/v1/ListOperationsRequest.js';
import type { ListOperationsResponse as _nebius_common_v1_ListOperationsResponse, ListOperationsResponse__Output as _nebius_common_v1_ListOperationsResponse__Output } from './nebius/common/v1/ListOperationsResponse.js';
import type { Operation as _nebius_common_v1_Operation, Operation__Output as _nebius_common_v1_Operation__Output } from './nebius/common/v1/Operation.js';
import type { OperationServiceClient as _nebius_common_v1_OperationServiceClient, OperationServiceDefinition as _nebius_common_v1_OperationServiceDefinition } from './nebius/common/v1/OperationService.js';
import type { ProgressTracker as _nebius_common_v1_ProgressTracker, ProgressTracker__Output as _nebius_common_v1_ProgressTracker__Output } from './nebius/common/v1/ProgressTracker.js';
import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from './nebius/common/v1/ResourceMetadata.js';
import type { AttachedDiskSpec as _nebius_compute_v1_AttachedDiskSpec, AttachedDiskSpec__Output as _nebius_compute_v1_AttachedDiskSpec__Output } from './nebius/compute/v1/AttachedDiskSpec.js';
import type { AttachedFilesystemSpec as _nebius_compute_v1_AttachedFilesystemSpec, AttachedFilesystemSpec__Output as _nebius_compute_v1_AttachedFilesystemSpec__Output } from './nebius/compute/v1/AttachedFilesystemSpec.js';
import type { BatchGetRequest as _nebius_compute_v1_BatchGetRequest, BatchGetRequest__Output as _nebius_compute_v1_BatchGetRequest__Output } from './nebius/compute/v1/BatchGetRequest.js';
import type { BatchGetResponse as _nebius_compute_v1_BatchGetResponse, BatchGetResponse__Output as _nebius_compute_v1_BatchGetResponse__Output } from './nebius/compute/v1/BatchGetResponse.js';
import type { CreateInstanceRequest as _nebius_compute_v1_CreateInstanceRequest, CreateInstanceRequest__Output as _nebius_compute_v1_CreateInstanceRequest__Output } from './nebius/compute/v1/CreateInstanceRequest.js';
import type { DeleteInstanceRequest as _nebius_compute_v1_DeleteInstanceRequest, DeleteInstanceRequest__Output as _nebius_compute_v1_DeleteInstanceRequest__Output } from './nebius/compute/v1/DeleteInstanceRequest.js';
import type { Disk as _nebius_compute_v1_Disk, Disk__Output as _nebius_compute_v1_Disk__Output } from './nebius/compute/v1/Disk.js';
import type { DiskAttachmentStatus as _nebius_compute_v1_DiskAttachmentStatus, DiskAttachmentStatus__Output as _nebius_compute_v1_DiskAttachmentStatus__Output } from './nebius/compute/v1/DiskAttachmentStatus.js';
import type { DiskEncryption as _nebius_compute_v1_DiskEncryption, DiskEncryption__Output as _nebius_compute_v1_DiskEncryption__Output } from './nebius/compute/v1/DiskEncryption.js';
import type { DiskSpec as _nebius_compute_v1_DiskSpec, DiskSpec__Output as _nebius_compute_v1_DiskSpec__Output } from './nebius/compute/v1/DiskSpec.js';
import type { DiskStatus as _nebius_compute_v1_DiskStatus, DiskStatus__Output as _nebius_compute_v1_DiskStatus__Output } from './nebius/compute/v1/DiskStatus.js';
import type { ExistingDisk as _nebius_compute_v1_ExistingDisk, ExistingDisk__Output as _nebius_compute_v1_ExistingDisk__Output } from './nebius/compute/v1/ExistingDisk.js';
import type { ExistingFilesystem as _nebius_compute_v1_ExistingFilesystem, ExistingFilesystem__Output as _nebius_compute_v1_ExistingFilesystem__Output } from './nebius/compute/v1/ExistingFilesystem.js';
import type { GetInstanceRequest as _nebius_compute_v1_GetInstanceRequest, GetInstanceRequest__Output as _nebius_compute_v1_GetInstanceRequest__Output } from './nebius/compute/v1/GetInstanceRequest.js';
import type { IPAddress as _nebius_compute_v1_IPAddress, IPAddress__Output as _nebius_compute_v1_IPAddress__Output } from './nebius/compute/v1/IPAddress.js';
import type { IPAddressStatus as _nebius_compute_v1_IPAddressStatus, IPAddressStatus__Output as _nebius_compute_v1_IPAddressStatus__Output } from './nebius/compute/v1/IPAddressStatus.js';
import type { IPAlias as _nebius_compute_v1_IPAlias, IPAlias__Output as _nebius_compute_v1_IPAlias__Output } from './nebius/compute/v1/IPAlias.js';
import type { IPAliasesStatus as _nebius_compute_v1_IPAliasesStatus, IPAliasesStatus__Output as _nebius_compute_v1_IPAliasesStatus__Output } from './nebius/compute/v1/IPAliasesStatus.js';
import type { Instance as _nebius_compute_v1_Instance, Instance__Output as _nebius_compute_v1_Instance__Output } from './nebius/compute/v1/Instance.js';
import type { InstanceGpuClusterSpec as _nebius_compute_v1_InstanceGpuClusterSpec, InstanceGpuClusterSpec__Output as _nebius_compute_v1_InstanceGpuClusterSpec__Output } from './nebius/compute/v1/InstanceGpuClusterSpec.js';
import type { InstanceServiceClient as _nebius_compute_v1_InstanceServiceClient, InstanceServiceDefinition as _nebius_compute_v1_InstanceServiceDefinition } from './nebius/compute/v1/InstanceService.js';
import type { InstanceSpec as _nebius_compute_v1_InstanceSpec, InstanceSpec__Output as _nebius_compute_v1_InstanceSpec__Output } from './nebius/compute/v1/InstanceSpec.js';
import type { InstanceStatus as _nebius_compute_v1_InstanceStatus, InstanceStatus__Output as _nebius_compute_v1_InstanceStatus__Output } from './nebius/compute/v1/InstanceStatus.js';
import type { InstanceStatusInfinibandTopologyPath as _nebius_compute_v1_InstanceStatusInfinibandTopologyPath, InstanceStatusInfinibandTopologyPath__Output as _nebius_compute_v1_InstanceStatusInfinibandTopologyPath__Output } from './nebius/compute/v1/InstanceStatusInfinibandTopologyPath.js';
import type { ListInstancesByNVLInstanceGroupRequest as _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, ListInstancesByNVLInstanceGroupRequest__Output as _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest__Output } from './nebius/compute/v1/ListInstancesByNVLInstanceGroupRequest.js';
import type { ListInstancesRequest as _nebius_compute_v1_ListInstancesRequest, ListInstancesRequest__Output as _nebius_compute_v1_ListInstancesRequest__Output } from './nebius/compute/v1/ListInstancesRequest.js';
import type { ListInstancesResponse as _nebius_compute_v1_ListInstancesResponse, ListInstancesResponse__Output as _nebius_compute_v1_ListInstancesResponse__Output } from './nebius/compute/v1/ListInstancesResponse.js';
import type { ListOperationsByParentRequest as _nebius_compute_v1_ListOperationsByParentRequest, ListOperationsByParentRequest__Output as _nebius_compute_v1_ListOperationsByParentRequest__Output } from './nebius/compute/v1/ListOperationsByParentRequest.js';
import type { LocalDisksSpec as _nebius_compute_v1_LocalDisksSpec, LocalDisksSpec__Output as _nebius_compute_v1_LocalDisksSpec__Output } from './nebius/compute/v1/LocalDisksSpec.js';
import type { ManagedDisk as _nebius_compute_v1_ManagedDisk, ManagedDisk__Output as _nebius_compute_v1_ManagedDisk__Output } from './nebius/compute/v1/ManagedDisk.js';
import type { NetworkInterfaceSpec as _nebius_compute_v1_NetworkInterfaceSpec, NetworkInterfaceSpec__Output as _nebius_compute_v1_NetworkInterfaceSpec__Output } from './nebius/compute/v1/NetworkInterfaceSpec.js';
import type { NetworkInterfaceStatus as _nebius_compute_v1_NetworkInterfaceStatus, NetworkInterfaceStatus__Output as _nebius_compute_v1_NetworkInterfaceStatus__Output } from './nebius/compute/v1/NetworkInterfaceStatus.js';
import type { PassthroughGroupRequest as _nebius_compute_v1_PassthroughGroupRequest, PassthroughGroupRequest__Output as _nebius_compute_v1_PassthroughGroupRequest__Output } from './nebius/compute/v1/PassthroughGroupRequest.js';
import type { PreemptibleSpec as _nebius_compute_v1_PreemptibleSpec, PreemptibleSpec__Output as _nebius_compute_v1_PreemptibleSpec__Output } from './nebius/compute/v1/PreemptibleSpec.js';
import type { PublicIPAddress as _nebius_compute_v1_PublicIPAddress, PublicIPAddress__Output as _nebius_compute_v1_PublicIPAddress__Output } from './nebius/compute/v1/PublicIPAddress.js';
import type { PublicIPAddressStatus as _nebius_compute_v1_PublicIPAddressStatus, PublicIPAddressStatus__Output as _nebius_compute_v1_PublicIPAddressStatus__Output } from './nebius/compute/v1/PublicIPAddressStatus.js';
import type { ReservationPolicy as _nebius_compute_v1_ReservationPolicy, ReservationPolicy__Output as _nebius_compute_v1_ReservationPolicy__Output } from './nebius/compute/v1/ReservationPolicy.js';
import type { ResourcesSpec as _nebius_compute_v1_ResourcesSpec, ResourcesSpec__Output as _nebius_compute_v1_ResourcesSpec__Output } from './nebius/compute/v1/ResourcesSpec.js';
import type { SecurityGroup as _nebius_compute_v1_SecurityGroup, SecurityGroup__Output as _nebius_compute_v1_SecurityGroup__Output } from './nebius/compute/v1/SecurityGroup.js';
import type { SecurityGroupStatus as _nebius_compute_v1_SecurityGroupStatus, SecurityGroupStatus__Output as _nebius_compute_v1_SecurityGroupStatus__Output } from './nebius/compute/v1/SecurityGroupStatus.js';
import type { SourceImageFamily as _nebius_compute_v1_SourceImageFamily, SourceImageFamily__Output as _nebius_compute_v1_SourceImageFamily__Output } from './nebius/compute/v1/SourceImageFamily.js';
import type { StartInstanceRequest as _nebius_compute_v1_StartInstanceRequest, StartInstanceRequest__Output as _nebius_compute_v1_StartInstanceRequest__Output } from './nebius/compute/v1/StartInstanceRequest.js';
import type { StopInstanceRequest as _nebius_compute_v1_StopInstanceRequest, StopInstanceRequest__Output as _nebius_compute_v1_StopInstanceRequest__Output } from './nebius/compute/v1/StopInstanceRequest.js';
import type { UpdateInstanceRequest as _nebius_compute_v1_UpdateInstanceRequest, UpdateInstanceRequest__Output as _nebius_compute_v1_UpdateInstanceRequest__Output } from './nebius/compute/v1/UpdateInstanceRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Any: MessageTypeDefinition<_google_protobuf_Any, _google_protobuf_Any__Output>
      DescriptorProto: MessageTypeDefinition<_google_protobuf_DescriptorProto, _google_protobuf_DescriptorProto__Output>
      Edition: EnumTypeDefinition
      EnumDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumDescriptorProto, _google_protobuf_EnumDescriptorProto__Output>
      EnumOptions: MessageTypeDefinition<_google_protobuf_EnumOptions, _google_protobuf_EnumOptions__Output>
      EnumValueDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumValueDescriptorProto, _google_protobuf_EnumValueDescriptorProto__Output>
      EnumValueOptions: MessageTypeDefinition<_google_protobuf_EnumValueOptions, _google_protobuf_EnumValueOptions__Output>
      ExtensionRangeOptions: MessageTypeDefinition<_google_protobuf_ExtensionRangeOptions, _google_protobuf_ExtensionRangeOptions__Output>
      FeatureSet: MessageTypeDefinition<_google_protobuf_FeatureSet, _google_protobuf_FeatureSet__Output>
      FeatureSetDefaults: MessageTypeDefinition<_google_protobuf_FeatureSetDefaults, _google_protobuf_FeatureSetDefaults__Output>
      FieldDescriptorProto: MessageTypeDefinition<_google_protobuf_FieldDescriptorProto, _google_protobuf_FieldDescriptorProto__Output>
      FieldOptions: MessageTypeDefinition<_google_protobuf_FieldOptions, _google_protobuf_FieldOptions__Output>
      FileDescriptorProto: MessageTypeDefinition<_google_protobuf_FileDescriptorProto, _google_protobuf_FileDescriptorProto__Output>
      FileDescriptorSet: MessageTypeDefinition<_google_protobuf_FileDescriptorSet, _google_protobuf_FileDescriptorSet__Output>
      FileOptions: MessageTypeDefinition<_google_protobuf_FileOptions, _google_protobuf_FileOptions__Output>
      GeneratedCodeInfo: MessageTypeDefinition<_google_protobuf_GeneratedCodeInfo, _google_protobuf_GeneratedCodeInfo__Output>
      MessageOptions: MessageTypeDefinition<_google_protobuf_MessageOptions, _google_protobuf_MessageOptions__Output>
      MethodDescriptorProto: MessageTypeDefinition<_google_protobuf_MethodDescriptorProto, _google_protobuf_MethodDescriptorProto__Output>
      MethodOptions: MessageTypeDefinition<_google_protobuf_MethodOptions, _google_protobuf_MethodOptions__Output>
      OneofDescriptorProto: MessageTypeDefinition<_google_protobuf_OneofDescriptorProto, _google_protobuf_OneofDescriptorProto__Output>
      OneofOptions: MessageTypeDefinition<_google_protobuf_OneofOptions, _google_protobuf_OneofOptions__Output>
      ServiceDescriptorProto: MessageTypeDefinition<_google_protobuf_ServiceDescriptorProto, _google_protobuf_ServiceDescriptorProto__Output>
      ServiceOptions: MessageTypeDefinition<_google_protobuf_ServiceOptions, _google_protobuf_ServiceOptions__Output>
      SourceCodeInfo: MessageTypeDefinition<_google_protobuf_SourceCodeInfo, _google_protobuf_SourceCodeInfo__Output>
      SymbolVisibility: EnumTypeDefinition
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      UninterpretedOption: MessageTypeDefinition<_google_protobuf_UninterpretedOption, _google_protobuf_UninterpretedOption__Output>
    }
    rpc: {
      Status: MessageTypeDefinition<_google_rpc_Status, _google_rpc_Status__Output>
    }
  }
  nebius: {
    DeprecationDetails: MessageTypeDefinition<_nebius_DeprecationDetails, _nebius_DeprecationDetails__Output>
    EnumPySDKSettings: MessageTypeDefinition<_nebius_EnumPySDKSettings, _nebius_EnumPySDKSettings__Output>
    EnumValuePySDKSettings: MessageTypeDefinition<_nebius_EnumValuePySDKSettings, _nebius_EnumValuePySDKSettings__Output>
    FieldBehavior: EnumTypeDefinition
    FieldPySDKSettings: MessageTypeDefinition<_nebius_FieldPySDKSettings, _nebius_FieldPySDKSettings__Output>
    MessagePySDKSettings: MessageTypeDefinition<_nebius_MessagePySDKSettings, _nebius_MessagePySDKSettings__Output>
    MethodBehavior: EnumTypeDefinition
    MethodPySDKSettings: MessageTypeDefinition<_nebius_MethodPySDKSettings, _nebius_MethodPySDKSettings__Output>
    NIDFieldSettings: MessageTypeDefinition<_nebius_NIDFieldSettings, _nebius_NIDFieldSettings__Output>
    OneofPySDKSettings: MessageTypeDefinition<_nebius_OneofPySDKSettings, _nebius_OneofPySDKSettings__Output>
    ResourceBehavior: EnumTypeDefinition
    ServicePySDKSettings: MessageTypeDefinition<_nebius_ServicePySDKSettings, _nebius_ServicePySDKSettings__Output>
    SubfieldSettings: MessageTypeDefinition<_nebius_SubfieldSettings, _nebius_SubfieldSettings__Output>
    common: {
      v1: {
        GetByNameRequest: MessageTypeDefinition<_nebius_common_v1_GetByNameRequest, _nebius_common_v1_GetByNameRequest__Output>
        GetOperationRequest: MessageTypeDefinition<_nebius_common_v1_GetOperationRequest, _nebius_common_v1_GetOperationRequest__Output>
        ListOperationsRequest: MessageTypeDefinition<_nebius_common_v1_ListOperationsRequest, _nebius_common_v1_ListOperationsRequest__Output>
        ListOperationsResponse: MessageTypeDefinition<_nebius_common_v1_ListOperationsResponse, _nebius_common_v1_ListOperationsResponse__Output>
        Operation: MessageTypeDefinition<_nebius_common_v1_Operation, _nebius_common_v1_Operation__Output>
        OperationService: SubtypeConstructor<typeof grpc.Client, _nebius_common_v1_OperationServiceClient> & { service: _nebius_common_v1_OperationServiceDefinition }
        ProgressTracker: MessageTypeDefinition<_nebius_common_v1_ProgressTracker, _nebius_common_v1_ProgressTracker__Output>
        ResourceMetadata: MessageTypeDefinition<_nebius_common_v1_ResourceMetadata, _nebius_common_v1_ResourceMetadata__Output>
      }
    }
    compute: {
      v1: {
        AttachedDiskSpec: MessageTypeDefinition<_nebius_compute_v1_AttachedDiskSpec, _nebius_compute_v1_AttachedDiskSpec__Output>
        AttachedFilesystemSpec: MessageTypeDefinition<_nebius_compute_v1_AttachedFilesystemSpec, _nebius_compute_v1_AttachedFilesystemSpec__Output>
        BatchGetRequest: MessageTypeDefinition<_nebius_compute_v1_BatchGetRequest, _nebius_compute_v1_BatchGetRequest__Output>
        BatchGetResponse: MessageTypeDefinition<_nebius_compute_v1_BatchGetResponse, _nebius_compute_v1_BatchGetResponse__Output>
        CreateInstanceRequest: MessageTypeDefinition<_nebius_compute_v1_CreateInstanceRequest, _nebius_compute_v1_CreateInstanceRequest__Output>
        DeleteInstanceRequest: MessageTypeDefinition<_nebius_compute_v1_DeleteInstanceRequest, _nebius_compute_v1_DeleteInstanceRequest__Output>
        Disk: MessageTypeDefinition<_nebius_compute_v1_Disk, _nebius_compute_v1_Disk__Output>
        DiskAttachmentStatus: MessageTypeDefinition<_nebius_compute_v1_DiskAttachmentStatus, _nebius_compute_v1_DiskAttachmentStatus__Output>
        DiskEncryption: MessageTypeDefinition<_nebius_compute_v1_DiskEncryption, _nebius_compute_v1_DiskEncryption__Output>
        DiskSpec: MessageTypeDefinition<_nebius_compute_v1_DiskSpec, _nebius_compute_v1_DiskSpec__Output>
        DiskStatus: MessageTypeDefinition<_nebius_compute_v1_DiskStatus, _nebius_compute_v1_DiskStatus__Output>
        ExistingDisk: MessageTypeDefinition<_nebius_compute_v1_ExistingDisk, _nebius_compute_v1_ExistingDisk__Output>
        ExistingFilesystem: MessageTypeDefinition<_nebius_compute_v1_ExistingFilesystem, _nebius_compute_v1_ExistingFilesystem__Output>
        GetInstanceRequest: MessageTypeDefinition<_nebius_compute_v1_GetInstanceRequest, _nebius_compute_v1_GetInstanceRequest__Output>
        IPAddress: MessageTypeDefinition<_nebius_compute_v1_IPAddress, _nebius_compute_v1_IPAddress__Output>
        IPAddressStatus: MessageTypeDefinition<_nebius_compute_v1_IPAddressStatus, _nebius_compute_v1_IPAddressStatus__Output>
        IPAlias: MessageTypeDefinition<_nebius_compute_v1_IPAlias, _nebius_compute_v1_IPAlias__Output>
        IPAliasesStatus: MessageTypeDefinition<_nebius_compute_v1_IPAliasesStatus, _nebius_compute_v1_IPAliasesStatus__Output>
        Instance: MessageTypeDefinition<_nebius_compute_v1_Instance, _nebius_compute_v1_Instance__Output>
        InstanceGpuClusterSpec: MessageTypeDefinition<_nebius_compute_v1_InstanceGpuClusterSpec, _nebius_compute_v1_InstanceGpuClusterSpec__Output>
        InstanceRecoveryPolicy: EnumTypeDefinition
        InstanceService: SubtypeConstructor<typeof grpc.Client, _nebius_compute_v1_InstanceServiceClient> & { service: _nebius_compute_v1_InstanceServiceDefinition }
        InstanceSpec: MessageTypeDefinition<_nebius_compute_v1_InstanceSpec, _nebius_compute_v1_InstanceSpec__Output>
        InstanceStatus: MessageTypeDefinition<_nebius_compute_v1_InstanceStatus, _nebius_compute_v1_InstanceStatus__Output>
        InstanceStatusInfinibandTopologyPath: MessageTypeDefinition<_nebius_compute_v1_InstanceStatusInfinibandTopologyPath, _nebius_compute_v1_InstanceStatusInfinibandTopologyPath__Output>
        ListInstancesByNVLInstanceGroupRequest: MessageTypeDefinition<_nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest__Output>
        ListInstancesRequest: MessageTypeDefinition<_nebius_compute_v1_ListInstancesRequest, _nebius_compute_v1_ListInstancesRequest__Output>
        ListInstancesResponse: MessageTypeDefinition<_nebius_compute_v1_ListInstancesResponse, _nebius_compute_v1_ListInstancesResponse__Output>
        ListOperationsByParentRequest: MessageTypeDefinition<_nebius_compute_v1_ListOperationsByParentRequest, _nebius_compute_v1_ListOperationsByParentRequest__Output>
        LocalDisksSpec: MessageTypeDefinition<_nebius_compute_v1_LocalDisksSpec, _nebius_compute_v1_LocalDisksSpec__Output>
        ManagedDisk: MessageTypeDefinition<_nebius_compute_v1_ManagedDisk, _nebius_compute_v1_ManagedDisk__Output>
        NetworkInterfaceSpec: MessageTypeDefinition<_nebius_compute_v1_NetworkInterfaceSpec, _nebius_compute_v1_NetworkInterfaceSpec__Output>
        NetworkInterfaceStatus: MessageTypeDefinition<_nebius_compute_v1_NetworkInterfaceStatus, _nebius_compute_v1_NetworkInterfaceStatus__Output>
        PassthroughGroupRequest: MessageTypeDefinition<_nebius_compute_v1_PassthroughGroupRequest, _nebius_compute_v1_PassthroughGroupRequest__Output>
        PreemptibleSpec: MessageTypeDefinition<_nebius_compute_v1_PreemptibleSpec, _nebius_compute_v1_PreemptibleSpec__Output>
        PublicIPAddress: MessageTypeDefinition<_nebius_compute_v1_PublicIPAddress, _nebius_compute_v1_PublicIPAddress__Output>
        PublicIPAddressStatus: MessageTypeDefinition<_nebius_compute_v1_PublicIPAddressStatus, _nebius_compute_v1_PublicIPAddressStatus__Output>
        ReservationPolicy: MessageTypeDefinition<_nebius_compute_v1_ReservationPolicy, _nebius_compute_v1_ReservationPolicy__Output>
        ResourcesSpec: MessageTypeDefinition<_nebius_compute_v1_ResourcesSpec, _nebius_compute_v1_ResourcesSpec__Output>
        SecurityGroup: MessageTypeDefinition<_nebius_compute_v1_SecurityGroup, _nebius_compute_v1_SecurityGroup__Output>
        SecurityGroupStatus: MessageTypeDefinition<_nebius_compute_v1_SecurityGroupStatus, _nebius_compute_v1_SecurityGroupStatus__Output>
        SourceImageFamily: MessageTypeDefinition<_nebius_compute_v1_SourceImageFamily, _nebius_compute_v1_SourceImageFamily__Output>
        StartInstanceRequest: MessageTypeDefinition<_nebius_compute_v1_StartInstanceRequest, _nebius_compute_v1_StartInstanceRequest__Output>
        StopInstanceRequest: MessageTypeDefinition<_nebius_compute_v1_StopInstanceRequest, _nebius_compute_v1_StopInstanceRequest__Output>
        UpdateInstanceRequest: MessageTypeDefinition<_nebius_compute_v1_UpdateInstanceRequest, _nebius_compute_v1_UpdateInstanceRequest__Output>
      }
    }
  }
}

