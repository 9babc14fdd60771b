import { describe, expect, it } from 'vitest';
import { motionShadowEveryFrames, ShadowRefresh } from './shadow-refresh.ts';

describe('ShadowRefresh', () => {
  it('draws the shadow map on the first frame and then not while nothing that casts a shadow changes', () => {
    const refresh = new ShadowRefresh();
    const changes = { structure: 0, motion: 0 };
    expect(refresh.needsDrawing(changes)).toBe(true);
    for (let frame = 0; frame < 10; frame++) expect(refresh.needsDrawing(changes)).toBe(false);
  });

  it('draws it in the very next frame after a structural change, even right after the last drawing', () => {
    const refresh = new ShadowRefresh();
    const changes = { structure: 0, motion: 0 };
    refresh.needsDrawing(changes);
    changes.structure++;
    expect(refresh.needsDrawing(changes)).toBe(true);
    changes.structure++;
    expect(refresh.needsDrawing(changes)).toBe(true);
  });

  it('draws moving parts\' shadows at most every few frames, and never loses the last motion', () => {
    const refresh = new ShadowRefresh();
    const changes = { structure: 0, motion: 0 };
    refresh.needsDrawing(changes);
    const drawn: boolean[] = [];
    for (let frame = 0; frame < 6; frame++) {
      changes.motion++;
      drawn.push(refresh.needsDrawing(changes));
    }
    expect(drawn.filter(Boolean)).toHaveLength(Math.floor(6 / motionShadowEveryFrames));
    // The parts stop: the motion not yet drawn is drawn as soon as its turn comes, then nothing more.
    const after = [refresh.needsDrawing(changes), refresh.needsDrawing(changes), refresh.needsDrawing(changes)];
    expect(after.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(refresh.needsDrawing(changes)).toBe(false);
  });
});
