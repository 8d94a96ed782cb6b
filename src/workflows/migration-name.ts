/** Kubernetes object names used as DNS labels: at most 63 characters. */
const MAX = 63;
const SUFFIX = '-migration';

/**
 * The VirtualMachineInstanceMigration's name for an experiment: `<experiment>-migration`, as it
 * always was when that fits; a longer id is cut and keeps a hash of the whole, so two runs whose
 * ids share a long prefix never find each other's migration.
 */
export function migrationName(experimentId: string): string {
  const plain = `${experimentId}${SUFFIX}`;
  if (plain.length <= MAX) return plain;
  const hash = fnv1a(experimentId).toString(16).padStart(8, '0');
  const head = experimentId.slice(0, MAX - SUFFIX.length - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}${SUFFIX}`;
}

/** 32-bit FNV-1a: deterministic in workflow code, no dependency. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
