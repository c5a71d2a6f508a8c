import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

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
import type { ResourceMetadata as _nebius_common_v1_ResourceMetadata, ResourceMetadata__Output as _nebius_common_v1_ResourceMetadata__Output } from './nebius/common/v1/ResourceMetadata.js';
import type { ListPlatformsRequest as _nebius_compute_v1_ListPlatformsRequest, ListPlatformsRequest__Output as _nebius_compute_v1_ListPlatformsRequest__Output } from './nebius/compute/v1/ListPlatformsRequest.js';
import type { ListPlatformsResponse as _nebius_compute_v1_ListPlatformsResponse, ListPlatformsResponse__Output as _nebius_compute_v1_ListPlatformsResponse__Output } from './nebius/compute/v1/ListPlatformsResponse.js';
import type { Platform as _nebius_compute_v1_Platform, Platform__Output as _nebius_compute_v1_Platform__Output } from './nebius/compute/v1/Platform.js';
import type { PlatformServiceClient as _nebius_compute_v1_PlatformServiceClient, PlatformServiceDefinition as _nebius_compute_v1_PlatformServiceDefinition } from './nebius/compute/v1/PlatformService.js';
import type { PlatformSpec as _nebius_compute_v1_PlatformSpec, PlatformSpec__Output as _nebius_compute_v1_PlatformSpec__Output } from './nebius/compute/v1/PlatformSpec.js';
import type { PlatformStatus as _nebius_compute_v1_PlatformStatus, PlatformStatus__Output as _nebius_compute_v1_PlatformStatus__Output } from './nebius/compute/v1/PlatformStatus.js';
import type { Preset as _nebius_compute_v1_Preset, Preset__Output as _nebius_compute_v1_Preset__Output } from './nebius/compute/v1/Preset.js';
import type { PresetResources as _nebius_compute_v1_PresetResources, PresetResources__Output as _nebius_compute_v1_PresetResources__Output } from './nebius/compute/v1/PresetResources.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
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
        ResourceMetadata: MessageTypeDefinition<_nebius_common_v1_ResourceMetadata, _nebius_common_v1_ResourceMetadata__Output>
      }
    }
    compute: {
      v1: {
        ListPlatformsRequest: MessageTypeDefinition<_nebius_compute_v1_ListPlatformsRequest, _nebius_compute_v1_ListPlatformsRequest__Output>
        ListPlatformsResponse: MessageTypeDefinition<_nebius_compute_v1_ListPlatformsResponse, _nebius_compute_v1_ListPlatformsResponse__Output>
        Platform: MessageTypeDefinition<_nebius_compute_v1_Platform, _nebius_compute_v1_Platform__Output>
        PlatformService: SubtypeConstructor<typeof grpc.Client, _nebius_compute_v1_PlatformServiceClient> & { service: _nebius_compute_v1_PlatformServiceDefinition }
        PlatformSpec: MessageTypeDefinition<_nebius_compute_v1_PlatformSpec, _nebius_compute_v1_PlatformSpec__Output>
        PlatformStatus: MessageTypeDefinition<_nebius_compute_v1_PlatformStatus, _nebius_compute_v1_PlatformStatus__Output>
        Preset: MessageTypeDefinition<_nebius_compute_v1_Preset, _nebius_compute_v1_Preset__Output>
        PresetResources: MessageTypeDefinition<_nebius_compute_v1_PresetResources, _nebius_compute_v1_PresetResources__Output>
      }
    }
  }
}

