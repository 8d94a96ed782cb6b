import { arrayOf, bool, defineCrd, enumOf, freeForm, int32, int64, mapOf, obj, quantity, str, time, type CrdShape, type Schema } from './define.ts';

// Field names follow kubevirt.io/api/core/v1 for every field the demo sets or reads; subtrees the
// demo never touches (affinity, tolerations, …) are kept free-form, as upstream's are opaque to us.
const phase = enumOf('Pending', 'Scheduling', 'Scheduled', 'Running', 'Succeeded', 'Failed', 'Unknown');
const kvCondition: Schema = obj({ type: str, status: enumOf('True', 'False', 'Unknown'), reason: str, message: str, lastProbeTime: { type: 'string', format: 'date-time', nullable: true }, lastTransitionTime: { type: 'string', format: 'date-time', nullable: true } }, { required: ['type', 'status'] });
const resources = obj({ requests: mapOf(quantity), limits: mapOf(quantity), overcommitGuestOverhead: bool });

const disk = obj(
  {
    name: str,
    disk: obj({ bus: enumOf('virtio', 'sata', 'scsi', 'usb'), readonly: bool, pciAddress: str }),
    cdrom: obj({ bus: str, readonly: bool, tray: str }),
    lun: obj({ bus: str, readonly: bool, reservation: bool }),
    bootOrder: { ...int32, minimum: 1 },
    serial: str,
    cache: str,
    io: str,
    dedicatedIOThread: bool,
  },
  { required: ['name'] },
);

const iface = obj(
  {
    name: str,
    binding: obj({ name: str }, { required: ['name'] }),
    masquerade: obj({}),
    bridge: obj({}),
    sriov: obj({}),
    passt: obj({}),
    macAddress: str,
    model: str,
    pciAddress: str,
    bootOrder: int32,
    state: str,
    ports: arrayOf(obj({ name: str, protocol: str, port: int32 }, { required: ['port'] })),
  },
  { required: ['name'] },
);

const volume = obj(
  {
    name: str,
    containerDisk: obj({ image: str, imagePullPolicy: str, imagePullSecret: str, path: str }, { required: ['image'] }),
    cloudInitNoCloud: obj({ userData: str, userDataBase64: str, networkData: str, networkDataBase64: str, secretRef: freeForm, networkDataSecretRef: freeForm }),
    cloudInitConfigDrive: obj({ userData: str, userDataBase64: str, networkData: str, networkDataBase64: str, secretRef: freeForm, networkDataSecretRef: freeForm }),
    dataVolume: obj({ name: str, hotpluggable: bool }, { required: ['name'] }),
    persistentVolumeClaim: obj({ claimName: str, readOnly: bool, hotpluggable: bool }, { required: ['claimName'] }),
    emptyDisk: obj({ capacity: quantity }),
    secret: freeForm,
    configMap: freeForm,
  },
  { required: ['name'] },
);

const network = obj(
  {
    name: str,
    pod: obj({ vmNetworkCIDR: str, vmIPv6NetworkCIDR: str }),
    multus: obj({ networkName: str, default: bool }, { required: ['networkName'] }),
  },
  { required: ['name'] },
);

const vmiSpec = obj(
  {
    domain: obj(
      {
        devices: obj({
          disks: arrayOf(disk),
          interfaces: arrayOf(iface),
          rng: obj({}),
          autoattachPodInterface: bool,
          autoattachSerialConsole: bool,
          autoattachGraphicsDevice: bool,
          networkInterfaceMultiqueue: bool,
        }),
        resources,
        memory: obj({ guest: quantity, hugepages: freeForm }),
        cpu: obj({ cores: int32, sockets: int32, threads: int32, model: str, dedicatedCpuPlacement: bool }),
        machine: obj({ type: str }),
        firmware: freeForm,
        features: freeForm,
        clock: freeForm,
      },
      { required: ['devices'] },
    ),
    networks: arrayOf(network),
    volumes: arrayOf(volume),
    terminationGracePeriodSeconds: int64,
    nodeSelector: mapOf(str),
    affinity: freeForm,
    tolerations: arrayOf(freeForm),
    evictionStrategy: enumOf('None', 'LiveMigrate', 'LiveMigrateIfPossible', 'External'),
    hostname: str,
    subdomain: str,
    priorityClassName: str,
    schedulerName: str,
    accessCredentials: arrayOf(freeForm),
  },
  { required: ['domain'] },
);

const templateMetadata = obj({ labels: mapOf(str), annotations: mapOf(str), name: str, namespace: str });

const migrationState = obj({
  sourceNode: str,
  targetNode: str,
  targetNodeAddress: str,
  sourcePod: str,
  targetPod: str,
  startTimestamp: time,
  endTimestamp: time,
  completed: bool,
  failed: bool,
  failureReason: str,
  abortRequested: bool,
  abortStatus: str,
  migrationUid: str,
  mode: enumOf('PreCopy', 'PostCopy'),
  targetNodeDomainDetected: bool,
  targetNodeDomainReadyTimestamp: time,
});

const phaseTransitions = arrayOf(obj({ phase: str, phaseTransitionTimestamp: time }));

const kubevirtCrd = (shape: Omit<CrdShape, 'group' | 'scope' | 'requiredSpec'>) => defineCrd({ group: 'kubevirt.io', scope: 'Namespaced', requiredSpec: true, ...shape });

export const virtualMachineInstance = kubevirtCrd({
  kind: 'VirtualMachineInstance',
  plural: 'virtualmachineinstances',
  shortNames: ['vmi', 'vmis'],
  spec: vmiSpec,
  status: obj({
    phase,
    reason: str,
    nodeName: str,
    conditions: arrayOf(kvCondition),
    interfaces: arrayOf(
      obj({ name: str, ipAddress: str, ipAddresses: arrayOf(str), mac: str, interfaceName: str, infoSource: str, podInterfaceName: str, queueCount: int32, linkState: str }),
    ),
    migrationState,
    migrationMethod: enumOf('BlockMigration', 'LiveMigration'),
    migrationTransport: str,
    activePods: mapOf(str),
    phaseTransitionTimestamps: phaseTransitions,
    guestOSInfo: freeForm,
    qosClass: str,
    launcherContainerImageVersion: str,
    evacuationNodeName: str,
    volumeStatus: arrayOf(freeForm),
    selinuxContext: str,
    machine: obj({ type: str }),
    currentCPUTopology: freeForm,
    memory: freeForm,
  }),
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'IP', type: 'string', jsonPath: '.status.interfaces[0].ipAddress' },
    { name: 'NodeName', type: 'string', jsonPath: '.status.nodeName' },
    { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
    { name: 'Live-Migratable', type: 'string', jsonPath: ".status.conditions[?(@.type=='LiveMigratable')].status" },
  ],
});

export const virtualMachine = kubevirtCrd({
  kind: 'VirtualMachine',
  plural: 'virtualmachines',
  shortNames: ['vm', 'vms'],
  spec: obj(
    {
      runStrategy: enumOf('Always', 'RerunOnFailure', 'Manual', 'Halted', 'Once', 'WaitAsReceiver'),
      running: bool,
      template: obj({ metadata: templateMetadata, spec: vmiSpec }),
      dataVolumeTemplates: arrayOf(freeForm),
      instancetype: freeForm,
      preference: freeForm,
    },
    { required: ['template'] },
  ),
  status: obj({
    printableStatus: str,
    created: bool,
    ready: bool,
    runStrategy: str,
    conditions: arrayOf(kvCondition),
    desiredGeneration: int64,
    observedGeneration: int64,
    stateChangeRequests: arrayOf(freeForm),
    volumeSnapshotStatuses: arrayOf(freeForm),
  }),
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.printableStatus' },
    { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
  ],
});

export const virtualMachineInstanceMigration = kubevirtCrd({
  kind: 'VirtualMachineInstanceMigration',
  plural: 'virtualmachineinstancemigrations',
  shortNames: ['vmim', 'vmims'],
  spec: obj({ vmiName: str, addedNodeSelector: mapOf(str) }, { required: ['vmiName'] }),
  status: obj({
    phase: enumOf('Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded', 'Failed', ''),
    phaseTransitionTimestamps: phaseTransitions,
    conditions: arrayOf(kvCondition),
    migrationState,
  }),
  printerColumns: [
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'VMI', type: 'string', jsonPath: '.spec.vmiName' },
  ],
});
