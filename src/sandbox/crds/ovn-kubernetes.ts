import { arrayOf, conditions, defineCrd, enumOf, int32, labelSelector, obj, str, type Schema } from './define.ts';

// Field names, enums and bounds follow ovn-kubernetes' go-controller/pkg/crd/userdefinednetwork/v1.
const cidrs: Schema = arrayOf({ type: 'string', maxLength: 43 }, { minItems: 1, maxItems: 2 });
const role = enumOf('Primary', 'Secondary');
const mtu: Schema = { ...int32, minimum: 576, maximum: 65536 };

const layer2 = obj(
  {
    role,
    mtu,
    subnets: cidrs,
    joinSubnets: cidrs,
    ipam: obj({ mode: enumOf('Enabled', 'Disabled'), lifecycle: enumOf('Persistent') }, { minProperties: 1 }),
  },
  { required: ['role'] },
);

const layer3 = obj(
  {
    role,
    mtu,
    subnets: arrayOf(obj({ cidr: { type: 'string', maxLength: 43 }, hostSubnet: { ...int32, minimum: 1, maximum: 127 } }, { required: ['cidr'] }), { minItems: 1, maxItems: 2 }),
    joinSubnets: cidrs,
  },
  { required: ['role', 'subnets'] },
);

const topologyRules = (field: string) => [
  { rule: "self.topology == 'Layer3' ? has(self.layer3) : !has(self.layer3)", message: `${field}.layer3 is required when topology is Layer3 and forbidden otherwise` },
  { rule: "self.topology == 'Layer2' ? has(self.layer2) : !has(self.layer2)", message: `${field}.layer2 is required when topology is Layer2 and forbidden otherwise` },
];

export const userDefinedNetwork = defineCrd({
  group: 'k8s.ovn.org',
  kind: 'UserDefinedNetwork',
  plural: 'userdefinednetworks',
  shortNames: ['udn'],
  scope: 'Namespaced',
  requiredSpec: true,
  spec: obj(
    { topology: enumOf('Layer2', 'Layer3'), layer2, layer3 },
    { required: ['topology'], 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Spec is immutable' }, ...topologyRules('spec')] },
  ),
  status: obj({ conditions }),
});

export const clusterUserDefinedNetwork = defineCrd({
  group: 'k8s.ovn.org',
  kind: 'ClusterUserDefinedNetwork',
  plural: 'clusteruserdefinednetworks',
  shortNames: ['cudn'],
  scope: 'Cluster',
  requiredSpec: true,
  spec: obj(
    {
      namespaceSelector: labelSelector,
      network: obj(
        { topology: enumOf('Layer2', 'Layer3'), layer2, layer3 },
        { required: ['topology'], 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Network spec is immutable' }] },
      ),
    },
    { required: ['namespaceSelector', 'network'] },
  ),
  status: obj({ conditions }),
});

export const networkAttachmentDefinition = defineCrd({
  group: 'k8s.cni.cncf.io',
  kind: 'NetworkAttachmentDefinition',
  plural: 'network-attachment-definitions',
  singular: 'network-attachment-definition',
  shortNames: ['net-attach-def'],
  scope: 'Namespaced',
  spec: obj({ config: str }),
});
