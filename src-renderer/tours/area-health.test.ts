import { describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { indexAreas, summariseAreas } from './area-health.ts';

describe('area health summary', () => {
  it('counts each area\'s machines by state, areas in the order the plant names them', () => {
    const index = indexAreas([{ area: 'Rolling' }, { area: 'Melt shop' }, { area: 'Rolling' }, { area: 'Rolling' }, { area: 'Melt shop' }]);
    expect(index.areas).toEqual(['Rolling', 'Melt shop']);
    const summary = summariseAreas(index, Uint8Array.from([Health.ok, Health.alarm, Health.alarm, Health.ok, Health.offline]));
    expect(summary).toEqual([
      { area: 'Rolling', machines: 3, counts: { ok: 2, alarm: 1 } },
      { area: 'Melt shop', machines: 2, counts: { alarm: 1, offline: 1 } },
    ]);
  });
});
