import { describe, expect, it } from 'vitest';
import { ModelLoadTracker } from './model-load-progress.ts';
import { formatBytes } from '../ui/format-bytes.ts';

describe('ModelLoadTracker', () => {
  it('counts files and bytes as they load, fail and finish', () => {
    const tracker = new ModelLoadTracker();
    const before = tracker.changes();
    tracker.started('models/a.glb');
    tracker.started('models/b.gltf');
    tracker.started('models/c.glb');
    tracker.progressed('models/a.glb', 500, 2000);
    tracker.progressed('models/b.gltf', 300, 0); // no length sent: counted as it arrives
    expect(tracker.progress()).toEqual({ models: 3, loaded: 0, failed: 0, bytesLoaded: 800, bytesTotal: 2300 });
    tracker.progressed('models/a.glb', 2000, 2000);
    tracker.finished('models/a.glb', false);
    tracker.finished('models/c.glb', true);
    tracker.progressed('models/unknown.glb', 10, 10);
    expect(tracker.progress()).toEqual({ models: 3, loaded: 1, failed: 1, bytesLoaded: 2300, bytesTotal: 2300 });
    expect(tracker.changes()).toBeGreaterThan(before);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.50 kB'],
    [123_456_789, '123 MB'],
    [4.2e9, '4.20 GB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
