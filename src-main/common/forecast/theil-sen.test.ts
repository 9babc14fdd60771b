import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.ts';
import { TheilSen } from './theil-sen.ts';

/** Theil–Sen's slope and Sen's interval the plain way: every pairwise slope, sorted. */
function sortedSlopes(times: Float64Array, values: Float64Array, count: number): number[] {
  const slopes: number[] = [];
  for (let first = 0; first < count - 1; first++) {
    for (let second = first + 1; second < count; second++) {
      const span = times[second]! - times[first]!;
      if (span > 0) slopes.push((values[second]! - values[first]!) / span);
    }
  }
  return slopes.sort((a, b) => a - b);
}

describe('TheilSen', () => {
  it('finds the same median slope and interval by selection as a full sort, with ties, repeated times and outliers', () => {
    const random = seededRandom(3);
    const fitter = new TheilSen();
    const times = new Float64Array(64);
    const values = new Float64Array(64);
    let checked = 0;
    for (let round = 0; round < 400; round++) {
      const count = 3 + Math.floor(random() * 62);
      const slope = (random() - 0.5) * 4;
      // Some rounds repeat times and values (ties among the slopes), some add wild outliers.
      const coarse = round % 3 === 0;
      let time = 0;
      for (let index = 0; index < count; index++) {
        time += coarse && random() < 0.3 ? 0 : 1 + random();
        times[index] = coarse ? Math.round(time) : time;
        const value = slope * time + (random() - 0.5) * 3 + (round % 5 === 0 && random() < 0.1 ? 1e6 : 0);
        values[index] = coarse ? Math.round(value) : value;
      }
      const slopes = sortedSlopes(times, values, count);
      const fit = fitter.fit(times, values, count);
      if (slopes.length < 3) {
        expect(fit, `round ${round}`).toBeUndefined();
        continue;
      }
      const middle = slopes.length >> 1;
      const median = slopes.length % 2 === 1 ? slopes[middle]! : (slopes[middle - 1]! + slopes[middle]!) / 2;
      // `+ 0`: a slope of −0 and one of 0 are the same slope, in either order.
      expect(fit!.slope + 0, `round ${round}`).toBe(median + 0);
      // Sen's 90 % interval: the slopes of ranks (N ∓ 1.6449·σ_S)/2 of the sorted list.
      const spread = 1.6449 * Math.sqrt((count * (count - 1) * (2 * count + 5)) / 18);
      expect(fit!.slopeLow + 0, `round ${round}`).toBe(slopes[Math.max(0, Math.floor((slopes.length - spread) / 2) - 1)]! + 0);
      expect(fit!.slopeHigh + 0, `round ${round}`).toBe(slopes[Math.min(slopes.length - 1, Math.ceil((slopes.length + spread) / 2))]! + 0);
      checked++;
    }
    expect(checked).toBeGreaterThan(350);
  });
});
