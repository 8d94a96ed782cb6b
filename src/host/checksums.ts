/**
 * The sha256 a published checksum file gives for the file `name`: either sha256sum's
 * "<hex>  <name>" lines (etcd's SHA256SUMS, the Temporal CLI's checksums.txt; "*" marks binary
 * mode) or a file holding one bare sum (dl.k8s.io's <binary>.sha256). Undefined when it has none.
 */
export function sha256For(text: string, name: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((tokens) => tokens[0]);
  const sum = lines.length === 1 && lines[0]!.length === 1 ? lines[0]![0] : lines.find(([, file]) => file?.replace(/^\*/, '') === name)?.[0];
  return sum && /^[0-9a-f]{64}$/i.test(sum) ? sum.toLowerCase() : undefined;
}
