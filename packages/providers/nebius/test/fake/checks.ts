/**
 * The buf.validate rules of the upstream protos (proto/, stripped from the copies the adapter
 * loads) that apply to what the adapter sends in InstanceService.Create. Nebius's server enforces
 * them; the fake does too, so an adapter request Nebius would refuse fails here as well. Each
 * rule names the annotation it comes from.
 */

type Obj = Record<string, unknown>;

const obj = (value: unknown): Obj | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Problems as `field: rule`; empty when the request keeps every rule. */
export function checkCreateRequest(request: Obj): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const metadata = obj(request.metadata);
  const spec = obj(request.spec);
  // common/v1/metadata.proto: parent_id (buf.validate.field).required; name max_bytes 1024.
  need(text(metadata?.parentId) !== '', 'metadata.parent_id: required');
  need(Buffer.byteLength(text(metadata?.name)) <= 1024, 'metadata.name: at most 1024 bytes');
  // compute/v1/instance.proto, InstanceSpec.
  const resources = obj(spec?.resources);
  need(text(resources?.platform) !== '', 'spec.resources.platform: required');
  need(text(resources?.preset) !== '', 'spec.resources.size: oneof required (preset)');
  const nics = Array.isArray(spec?.networkInterfaces) ? spec.networkInterfaces : [];
  need(nics.length >= 1 && nics.length <= 8, 'spec.network_interfaces: required, at most 8');
  for (const [i, raw] of nics.entries()) {
    const nic = obj(raw);
    // compute/v1/network_interface.proto, NetworkInterfaceSpec.
    need(text(nic?.subnetId) !== '', `spec.network_interfaces[${i}].subnet_id: required`);
    need(
      /^[0-9a-z][0-9a-z-]*$/.test(text(nic?.name)) && text(nic?.name).length <= 60,
      `spec.network_interfaces[${i}].name: required, 1-60 of [0-9a-z-] starting alphanumeric`,
    );
    need(obj(nic?.ipAddress) !== undefined, `spec.network_interfaces[${i}].ip_address: required`);
  }
  const boot = obj(spec?.bootDisk);
  need(boot !== undefined, 'spec.boot_disk: required');
  need(
    boot?.attachMode !== undefined && boot.attachMode !== 'UNSPECIFIED',
    'spec.boot_disk.attach_mode: required',
  );
  const managed = obj(boot?.managedDisk);
  need(
    managed !== undefined || obj(boot?.existingDisk) !== undefined,
    'spec.boot_disk.type: oneof required',
  );
  if (managed) {
    need(text(managed.name) !== '', 'spec.boot_disk.managed_disk.name: required');
    const disk = obj(managed.spec);
    // compute/v1/disk.proto, DiskSpec: size oneof required, type required.
    need(
      disk?.size !== undefined && disk.size !== null,
      'spec.boot_disk.managed_disk.spec.size: oneof required',
    );
    need(
      disk?.type !== undefined && disk.type !== 'UNSPECIFIED',
      'spec.boot_disk.managed_disk.spec.type: required',
    );
  }
  need(
    text(spec?.cloudInitUserData).length <= 32_768,
    'spec.cloud_init_user_data: at most 32768 characters',
  );
  const hostname = text(spec?.hostname);
  need(
    hostname === '' || /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/.test(hostname),
    'spec.hostname: a valid hostname',
  );
  return problems;
}
