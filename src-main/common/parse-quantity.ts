const byteUnits: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "500MB", "20 GB", "1.5GiB" or a plain number of bytes; `name` says in the error which setting was wrong. */
export function parseByteSize(text: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? byteUnits[(match[2] || 'b').toLowerCase()] : undefined;
  if (!match || factor === undefined || Number(match[1]) <= 0) throw new Error(`${name} must be a size like 500MB or 20GB, not "${text}"`);
  return Math.round(Number(match[1]) * factor);
}

/** Parses "90s", "30m", "1h", "7d" or a plain number of milliseconds. */
export function parseDuration(text: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? durationUnits[(match[2] || 'ms').toLowerCase()] : undefined;
  if (!match || factor === undefined || Number(match[1]) <= 0) throw new Error(`${name} must be a duration like 30m, 1h or 7d, not "${text}"`);
  return Math.round(Number(match[1]) * factor);
}
