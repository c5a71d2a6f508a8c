import { defineProvider } from '@cloudplane/sdk';
import { DevcloudClient } from './client.js';
import { DevcloudCredentialSchema, type DevcloudCredential } from './credential.js';

export { DevcloudCredentialSchema, type DevcloudCredential } from './credential.js';
export { DEVCLOUD_DEFECTS, type DevcloudDefect } from './defects.js';
export { STATUS_TABLE, REF_ID_TAG, CRED_REF_ID_TAG, statusMap } from './mapping.js';
export { DevcloudClient } from './client.js';

/** The devcloud provider: a global API with tags, stop/start and reboot, boot-script firewalls. */
export const provider = defineProvider<DevcloudCredential>({
  id: 'devcloud',
  displayName: 'devcloud (local GPU cloud)',
  credentialSchema: DevcloudCredentialSchema,
  secretFields: ['apiKey'],
  apiType: 'global',
  firewallAtCreate: 'boot-script',
  pollIntervals: { instanceTypesMs: 30_000, instancesMs: 5_000 },
  maxCreatesPerMinute: 60,
  capabilities: () => ['stopStart', 'reboot', 'tags'],
  makeClient: (context) => new DevcloudClient(context),
});

export default provider;
