import { arrayOf, bool, defineCrd, freeForm, str } from './define.ts';

// Field names follow metallb.io/v1beta1 (api/v1beta1/ipaddresspool_types.go) for the fields the
// sandbox reads; serviceAllocation is kept as given.
export const ipAddressPool = defineCrd({
  group: 'metallb.io',
  version: 'v1beta1',
  kind: 'IPAddressPool',
  plural: 'ipaddresspools',
  scope: 'Namespaced',
  requiredSpec: true,
  spec: { type: 'object', properties: { addresses: arrayOf(str), autoAssign: bool, avoidBuggyIPs: bool, serviceAllocation: freeForm }, required: ['addresses'] },
  printerColumns: [
    { name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' },
    { name: 'Avoid Buggy IPs', type: 'boolean', jsonPath: '.spec.avoidBuggyIPs' },
    { name: 'Addresses', type: 'string', jsonPath: '.spec.addresses' },
  ],
});
