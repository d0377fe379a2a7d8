/**
 * Ids of a room's document journal in cluster mode (server/cluster/doc-journal.ts):
 * Redis stream ids, `ms-seq`. The live room orders remote updates by them.
 */
/** Orders two Redis stream ids (`ms-seq`): negative, zero or positive like a comparator. */
export function compareStreamIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/** The smallest stream id after `id` (for XTRIM MINID: keep what is newer than `id`). */
export function nextStreamId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}
