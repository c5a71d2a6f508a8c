import type { _InstanceType } from '@aws-sdk/client-ec2';

/**
 * The SDK types instance-type names as the closed list it was generated with, but EC2 takes any
 * name and adds families every few months; a name that passed our own checks (the catalog came
 * from EC2, the attrs from a schema) is handed over as it is, and EC2 judges it.
 */
export function ec2InstanceType(name: string): _InstanceType {
  return name as _InstanceType;
}
