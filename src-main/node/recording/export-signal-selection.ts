/**
 * Which recorded signals an export's `--signal` arguments mean: `MACHINE/SIGNAL` names one signal,
 * a name without "/" names a whole machine (every signal it recorded). A name the recording does
 * not have is refused with the few recorded names nearest to it, so a typing mistake is seen at once.
 */

/** How many near matches an error names: enough to spot a typo, few enough to read in one line. */
const nearMatchCount = 5;
/** Requested names are cut to this length before they are compared, so a huge argument costs little. */
const maxComparedLength = 128;

/** A `--signal` argument that names nothing in the recording; the message names near matches. */
export class UnknownSignalError extends Error {}

/**
 * The recorded signal keys that `requested` names, in the order asked and each once; every signal of
 * the recording when nothing is requested. `machineIds` are the recording's plant's machines (a
 * machine without recorded signals is named as such). Throws an UnknownSignalError for a name the
 * recording does not have, listing near matches.
 */
export function selectExportSignals(requested: readonly string[], signalKeys: readonly string[], machineIds: readonly string[], recordingName: string): string[] {
  if (requested.length === 0) return [...signalKeys];
  const known = new Set(signalKeys);
  const chosen = new Set<string>();
  const problems: string[] = [];
  for (const name of requested) {
    if (known.has(name)) {
      chosen.add(name);
      continue;
    }
    if (!name.includes('/')) {
      const prefix = `${name}/`;
      const ofMachine = signalKeys.filter((key) => key.startsWith(prefix));
      if (ofMachine.length > 0) {
        for (const key of ofMachine) chosen.add(key);
        continue;
      }
      if (machineIds.includes(name)) {
        problems.push(`the machine "${name}" recorded no signals`);
        continue;
      }
      problems.push(`no machine "${name}"${nearMatchText(name, [...machineNames(signalKeys), ...signalKeys])}`);
      continue;
    }
    problems.push(`no signal "${name}"${nearMatchText(name, signalKeys)}`);
  }
  if (problems.length > 0) {
    throw new UnknownSignalError(`The recording ${recordingName} has ${problems.join('; ')}. A name without "/" means a whole machine; --list shows every signal.`);
  }
  return [...chosen];
}

/** The machines that recorded signals, in the recording's order. */
function machineNames(signalKeys: readonly string[]): string[] {
  return [...new Set(signalKeys.map((key) => key.slice(0, key.indexOf('/'))))];
}

/** ", near matches: a, b" for the candidates nearest to `name`, or nothing when none is near. */
function nearMatchText(name: string, candidates: readonly string[]): string {
  const matches = nearMatches(name, candidates, nearMatchCount);
  return matches.length === 0 ? '' : ` (near matches: ${matches.join(', ')})`;
}

/**
 * Up to `count` candidates nearest to `name`, nearest first: those that contain it or that it
 * contains, then those within a few edits of it (whole, or after the "/" of a signal key, so a
 * signal typed without its machine finds its keys).
 */
export function nearMatches(name: string, candidates: readonly string[], count: number): string[] {
  const wanted = name.slice(0, maxComparedLength).toLowerCase();
  if (wanted === '') return [];
  const maxDistance = Math.max(2, Math.floor(wanted.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const signalPart = lower.slice(lower.indexOf('/') + 1);
    let score: number;
    if (lower.includes(wanted) || wanted.includes(lower) || signalPart === wanted) score = 0;
    else score = Math.min(boundedEditDistance(wanted, lower, maxDistance), boundedEditDistance(wanted, signalPart, maxDistance));
    if (score <= maxDistance) scored.push({ candidate, score });
  }
  scored.sort((first, second) => first.score - second.score || first.candidate.localeCompare(second.candidate));
  return scored.slice(0, count).map((entry) => entry.candidate);
}

/** The Levenshtein distance of two texts, or `limit + 1` as soon as it is known to exceed `limit`. */
function boundedEditDistance(first: string, second: string, limit: number): number {
  if (Math.abs(first.length - second.length) > limit) return limit + 1;
  const compared = second.slice(0, maxComparedLength + limit);
  let previous = Array.from({ length: compared.length + 1 }, (_, index) => index);
  for (let row = 1; row <= first.length; row++) {
    const current = [row];
    let rowMinimum = row;
    for (let column = 1; column <= compared.length; column++) {
      const substitution = previous[column - 1]! + (first[row - 1] === compared[column - 1] ? 0 : 1);
      const value = Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution);
      current.push(value);
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[compared.length]!;
}
