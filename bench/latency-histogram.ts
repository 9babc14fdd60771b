const fineStepMs = 0.01;
const fineLimitMs = 100;
const coarseStepMs = 1;
const coarseLimitMs = 60_000;
const fineBuckets = Math.round(fineLimitMs / fineStepMs);
const coarseBuckets = Math.round((coarseLimitMs - fineLimitMs) / coarseStepMs);

/**
 * Fixed-bucket latency histogram: 10 µs resolution up to 100 ms, 1 ms up to a minute. Recording
 * allocates nothing, so measuring does not add garbage to the process being measured.
 */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(fineBuckets + coarseBuckets + 1);
  private total = 0;
  private largest = 0;
  private belowZero = 0;

  /** Adds one latency in milliseconds; negative ones (clock skew between processes) count as zero. */
  record(milliseconds: number): void {
    if (milliseconds < 0) {
      this.belowZero++;
      milliseconds = 0;
    }
    if (milliseconds > this.largest) this.largest = milliseconds;
    let bucket: number;
    if (milliseconds < fineLimitMs) bucket = Math.floor(milliseconds / fineStepMs);
    else if (milliseconds < coarseLimitMs) bucket = fineBuckets + Math.floor((milliseconds - fineLimitMs) / coarseStepMs);
    else bucket = fineBuckets + coarseBuckets;
    this.counts[bucket]!++;
    this.total++;
  }

  /** How many latencies were recorded. */
  get count(): number {
    return this.total;
  }

  /** The largest latency recorded, exactly. */
  get max(): number {
    return this.largest;
  }

  /** How many latencies were negative before clamping. */
  get negative(): number {
    return this.belowZero;
  }

  /** Upper edge of the bucket holding the given quantile (0–1); NaN when empty. */
  quantile(fraction: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(fraction * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < this.counts.length; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return Math.min(this.largest, bucketUpperEdge(bucket));
    }
    return this.largest;
  }
}

function bucketUpperEdge(bucket: number): number {
  if (bucket < fineBuckets) return (bucket + 1) * fineStepMs;
  if (bucket < fineBuckets + coarseBuckets) return fineLimitMs + (bucket - fineBuckets + 1) * coarseStepMs;
  return Number.POSITIVE_INFINITY;
}

/** Why a histogram's latencies cannot be compared with another's, or undefined when they can: none at all, or some below zero. */
export function unmeasuredReason(latencies: Pick<LatencyHistogram, 'count' | 'negative'>): string | undefined {
  if (latencies.count === 0) return 'no value published inside the window was seen';
  if (latencies.negative > 0) return `${latencies.negative.toLocaleString('en-US')} of ${latencies.count.toLocaleString('en-US')} latencies came out below zero: the processes' clocks disagreed`;
  return undefined;
}
