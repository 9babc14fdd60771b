import { describe, expect, it } from 'vitest';
import { explorerOpenBurst, explorerOpenEveryMs, TopicExplorerService } from './topic-explorer-service.ts';

describe('opening the topic explorer', () => {
  it('is refused when views change its filters faster than the brokers should see the plant log in, and not for the filter it has', async () => {
    let now = 1_000_000;
    const logged: string[] = [];
    const service = new TopicExplorerService({ brokers: [], sources: [], limits: {} }, (line) => logged.push(line), () => now);
    const flipper = service.forView();
    const other = service.forView();
    try {
      for (let index = 0; index < explorerOpenBurst; index++) expect(flipper.open(`plant/${index}/#`)).toEqual({ open: true, filter: `plant/${index}/#` });
      // The filter it has already costs nothing; a new one, or another view's, waits.
      expect(flipper.open(`plant/${explorerOpenBurst - 1}/#`)).toEqual({ open: true, filter: `plant/${explorerOpenBurst - 1}/#` });
      expect(() => flipper.open('plant/#')).toThrow(/opened with new filters too often; try again in 2 s/);
      expect(() => other.open('#')).toThrow(/too often/);
      // Closing is never refused, and a while later opening works again.
      expect(flipper.close()).toEqual({ open: false });
      now += explorerOpenEveryMs;
      expect(other.open('#')).toEqual({ open: true, filter: '#' });
      expect(service.openViews).toBe(1);
    } finally {
      await service.stop();
    }
  });
});
