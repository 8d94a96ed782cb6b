import { clusterUserDefinedNetwork, networkAttachmentDefinition, userDefinedNetwork } from './ovn-kubernetes.ts';
import { ipAddressPool } from './metallb.ts';
import { virtualMachine, virtualMachineInstance, virtualMachineInstanceMigration } from './kubevirt.ts';

/** Every API type the sandbox serves beyond core Kubernetes. */
export const SANDBOX_CRDS = [userDefinedNetwork, clusterUserDefinedNetwork, networkAttachmentDefinition, virtualMachine, virtualMachineInstance, virtualMachineInstanceMigration, ipAddressPool];
