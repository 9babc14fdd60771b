/**
 * A robust straight-line trend: Theil–Sen's slope (the median of every pairwise slope), its rank
 * confidence interval (Sen 1968), and the Mann–Kendall statistic that says whether there is a trend
 * at all. O(n²) in the points, so callers keep n small (a forecast window holds at most 64).
 */

/** Most points a fit takes: 64 points make 2,016 pairs. */
export const maxTrendPoints = 64;
const maxPairs = (maxTrendPoints * (maxTrendPoints - 1)) / 2;

/** A fitted trend; `time` is in seconds relative to the caller's reference moment. */
export interface TrendFit {
  /** Median pairwise slope, in value units per second. */
  slope: number;
  /** The line's value at time 0 (the reference moment): the median of value − slope × time. */
  intercept: number;
  /** The slope's 90 % rank confidence interval. */
  slopeLow: number;
  slopeHigh: number;
  /** Mann–Kendall z: how many standard deviations the count of rising pairs is from none (no tie correction, so conservative). */
  z: number;
  points: number;
}

/** z of a two-sided 90 % interval. */
const interval90 = 1.6449;

/**
 * Reusable scratch space for fits: a fit allocates nothing but its result (and a view for sorting),
 * so a host can fit thousands of signals a second without churning the heap.
 */
export class TheilSen {
  private readonly slopes = new Float64Array(maxPairs);
  private readonly residuals = new Float64Array(maxTrendPoints);

  /**
   * Mann–Kendall z of `count` points (times ascending): positive for a rising series. Cheap
   * (comparisons only), so it gates the costlier fit.
   */
  kendallZ(times: Float64Array, values: Float64Array, count: number): number {
    if (count < 3) return 0;
    let score = 0;
    for (let first = 0; first < count - 1; first++) {
      const value = values[first]!;
      for (let second = first + 1; second < count; second++) {
        if (times[second]! === times[first]!) continue;
        const step = values[second]! - value;
        score += step > 0 ? 1 : step < 0 ? -1 : 0;
      }
    }
    const deviation = Math.sqrt((count * (count - 1) * (2 * count + 5)) / 18);
    // Continuity correction: a score of ±1 is no evidence.
    return score > 0 ? (score - 1) / deviation : score < 0 ? (score + 1) / deviation : 0;
  }

  /** Fits `count` points (at most 64, times ascending, in seconds); undefined with fewer than 3 distinct times. `z`: their `kendallZ`, when the caller has it already. */
  fit(times: Float64Array, values: Float64Array, count: number, z?: number): TrendFit | undefined {
    if (count > maxTrendPoints) throw new RangeError(`a trend fits at most ${maxTrendPoints} points, not ${count}`);
    let pairs = 0;
    for (let first = 0; first < count - 1; first++) {
      for (let second = first + 1; second < count; second++) {
        const span = times[second]! - times[first]!;
        if (span > 0) this.slopes[pairs++] = (values[second]! - values[first]!) / span;
      }
    }
    if (pairs < 3) return undefined;
    // Order statistics by selection, not a sort: sorting 2,016 slopes took about 130 µs, most of a fit.
    const ranks = new OrderStatistics(this.slopes, pairs);
    const middle = pairs >> 1;
    const slope = pairs % 2 === 1 ? ranks.at(middle) : (ranks.at(middle) + ranks.at(middle - 1)) / 2;
    // Sen's interval: ranks (N ∓ z·σ_S)/2 of the sorted slopes bound the slope at 90 %.
    const spread = interval90 * Math.sqrt((count * (count - 1) * (2 * count + 5)) / 18);
    const lowRank = Math.max(0, Math.floor((pairs - spread) / 2) - 1);
    const highRank = Math.min(pairs - 1, Math.ceil((pairs + spread) / 2));
    for (let index = 0; index < count; index++) this.residuals[index] = values[index]! - slope * times[index]!;
    const intercept = median(this.residuals.subarray(0, count).sort(), count);
    return { slope, intercept, slopeLow: ranks.at(lowRank), slopeHigh: ranks.at(highRank), z: z ?? this.kendallZ(times, values, count), points: count };
  }
}

function median(sorted: Float64Array, count: number): number {
  const middle = count >> 1;
  return count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The k-th smallest values of an array's first `length` entries, each found by selection (Hoare's, with
 * the k-th entry as pivot) within the stretch between the ranks already found, so that a few ranks of
 * one array cost a few linear passes. The array is reordered.
 */
class OrderStatistics {
  private readonly values: Float64Array;
  private readonly length: number;
  /** Ranks already in place, ascending. */
  private readonly placed: number[] = [];

  constructor(values: Float64Array, length: number) {
    this.values = values;
    this.length = length;
  }

  /** The value of rank `rank` (0: the smallest). */
  at(rank: number): number {
    const values = this.values;
    let after = 0;
    let before = this.length;
    for (const placed of this.placed) {
      if (placed === rank) return values[rank]!;
      if (placed < rank) after = placed + 1;
      else if (placed < before) before = placed;
    }
    let left = after;
    let right = before - 1;
    while (left < right) {
      const pivot = values[rank]!;
      let low = left;
      let high = right;
      do {
        while (values[low]! < pivot) low++;
        while (pivot < values[high]!) high--;
        if (low <= high) {
          const swapped = values[low]!;
          values[low] = values[high]!;
          values[high] = swapped;
          low++;
          high--;
        }
      } while (low <= high);
      if (high < rank) left = low;
      if (rank < low) right = high;
    }
    this.placed.push(rank);
    this.placed.sort((a, b) => a - b);
    return values[rank]!;
  }
}

