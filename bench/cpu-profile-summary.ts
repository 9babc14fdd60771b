/** A DevTools CPU profile's node, as `Profiler.stop` returns it (only the fields read here). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A DevTools CPU profile (only the fields read here). */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

/** One function's share of the samples a profile took. */
export interface ProfileShare {
  name: string;
  share: number;
}

/**
 * The functions that held the most samples themselves (self time), largest first: where a page spends
 * its time, by function name and the file and line it was defined at.
 */
export function topSelfTime(profile: CpuProfile, count: number): ProfileShare[] {
  const hits = new Map<number, number>();
  for (const sample of profile.samples ?? []) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const byName = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const nodeHits = hits.get(node.id) ?? node.hitCount ?? 0;
    if (nodeHits === 0) continue;
    total += nodeHits;
    const name = nodeName(node);
    byName.set(name, (byName.get(name) ?? 0) + nodeHits);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, nodeHits]) => ({ name, share: total === 0 ? 0 : nodeHits / total }));
}

/**
 * Under every sample inside a function of this name (the root), each function's share of those
 * samples, counting its own and everything it calls (a function that recurses counts once), largest first.
 */
export function inclusiveShares(profile: CpuProfile, rootName: string, count: number): ProfileShare[] {
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let inside = 0;
  for (const sample of profile.samples ?? []) {
    const stack: string[] = [];
    let reachesRoot = false;
    for (let id: number | undefined = sample; id !== undefined; id = parents.get(id)) {
      const node = nodes.get(id)!;
      if (node.callFrame.functionName === rootName) {
        reachesRoot = true;
        break;
      }
      stack.push(nodeName(node));
    }
    if (!reachesRoot) continue;
    inside++;
    for (const name of new Set(stack)) totals.set(name, (totals.get(name) ?? 0) + 1);
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, samples]) => ({ name, share: samples / inside }));
}

function nodeName(node: ProfileNode): string {
  const file = node.callFrame.url.slice(node.callFrame.url.lastIndexOf('/') + 1);
  return `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}:${node.callFrame.columnNumber + 1}`;
}
