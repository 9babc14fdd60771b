import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { TopicTreeView } from '../../common/topic-explorer.ts';
import { startAuthenticatingBroker } from '../testing/authenticating-broker.ts';
import { connectCapturingView } from '../testing/capturing-view.ts';
import { testPlantText } from '../testing/test-plants.ts';
import { until } from '../testing/until.ts';
import { startHost } from '../twinline-host.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-explorer-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the topic explorer through a running host', () => {
  it('subscribes with the view\'s filter only while open, with the plant\'s credentials, and answers with the expanded subtree and the selected topic', { timeout: 30_000 }, async () => {
    const password = 'explorer-secret-7f3a';
    const broker = await startAuthenticatingBroker((user, given) => user === 'viewer' && given === password);
    const plantFile = join(folder, 'plant.yaml');
    writeFileSync(plantFile, testPlantText({ name: 'Explorer', brokers: [{ id: 'line', url: broker.url, username: 'viewer', password: '${LINE_PASSWORD}' }], machines: [{ id: 'press', signals: [{ id: 'temperature', topic: 'plant/press/telemetry', path: 'temperature' }] }] }));
    const host = await startHost({ plantFile, environment: { LINE_PASSWORD: password }, recording: null, embedBrokers: false });
    const problems: string[] = [];
    const view = connectCapturingView(host.createViewSource(), (problem) => problems.push(problem));
    const publisher = await mqtt.connectAsync(broker.url, { username: 'viewer', password });
    const loginsBefore = await until(() => (broker.authenticated.length >= 2 ? broker.authenticated.length : undefined), 'the host and the publisher to log in');
    try {
      const tree = async (id: number, expanded: Array<{ broker: string; prefix: string | null }>, selected: { broker: string; topic: string } | null = null) => {
        const reply = await view.ask(id, 'getTopicTree', { expanded, selected });
        expect(reply.ok, JSON.stringify(reply)).toBe(true);
        return reply.result as TopicTreeView;
      };
      // Closed: nothing subscribed, nothing kept.
      expect(await tree(1, [{ broker: 'line', prefix: null }])).toMatchObject({ open: false, listings: [] });
      expect((await view.ask(2, 'openTopicExplorer', { filter: 'plant/#' })).result).toEqual({ open: true, filter: 'plant/#' });
      let id = 10;
      const publishing = setInterval(() => {
        publisher.publish('plant/press/telemetry', JSON.stringify({ temperature: 70 + Math.random() }));
        publisher.publish('plant/oven/state', 'RUN');
        publisher.publish('other/ignored', '1');
      }, 50);
      try {
        const root = await until(async () => {
          const answer = await tree(id++, [{ broker: 'line', prefix: null }, { broker: 'line', prefix: 'plant' }, { broker: 'line', prefix: 'plant/press' }], { broker: 'line', topic: 'plant/press/telemetry' });
          return answer.selected !== null && answer.listings[2]?.children.length === 1 ? answer : undefined;
        }, 'the explorer to see the published topics');
        expect(root.open).toBe(true);
        expect(root.brokers).toEqual([{ broker: 'line', state: 'connected' }]);
        expect(root.listings[0]!.children).toEqual([expect.objectContaining({ name: 'plant', topics: 2, bound: 1 })]);
        expect(root.listings[1]!.children.map((child) => child.name)).toEqual(['oven', 'press']);
        expect(root.listings[2]!.children[0]).toMatchObject({ name: 'telemetry', topic: 'plant/press/telemetry', hasMessage: true, bound: 1 });
        expect(root.selected).toMatchObject({ broker: 'line', firstBroker: true, topic: 'plant/press/telemetry', boundSignals: ['press/temperature'], payload: { kind: 'json' } });
        // The filter held: a topic outside it never reached the tree.
        expect(root.totals.topics).toBe(2);
      } finally {
        clearInterval(publishing);
      }
      // The explorer logged in with the plant's own credentials, as one more client.
      expect(broker.authenticated.length).toBe(loginsBefore + 1);
      expect((await view.ask(id++, 'closeTopicExplorer')).result).toEqual({ open: false });
      expect(await tree(id++, [{ broker: 'line', prefix: null }])).toMatchObject({ open: false, listings: [] });
      // Closing ended the explorer and all it kept: opened again, it starts from nothing.
      await view.ask(id++, 'openTopicExplorer', { filter: 'nothing/here' });
      expect((await tree(id++, [{ broker: 'line', prefix: null }])).totals).toMatchObject({ topics: 0, messages: 0 });
      await view.ask(id++, 'closeTopicExplorer');
      // A view cannot send a filter that is not one.
      expect((await view.ask(id++, 'openTopicExplorer', { filter: 'a/#/b' })).ok).toBe(false);
      // A view that goes without closing the explorer ends it too: its broker client leaves.
      const connectedBefore = await until(() => (broker.connectedClients() === 2 ? 2 : undefined), 'the explorer\'s client to leave once closed');
      const leaving = connectCapturingView(host.createViewSource(), (problem) => problems.push(problem));
      expect((await leaving.ask(1, 'openTopicExplorer', { filter: '#' })).ok).toBe(true);
      // Asked for its tree, the explorer is running: its client joins the broker.
      expect((await leaving.ask(2, 'getTopicTree', { expanded: [], selected: null })).ok).toBe(true);
      await until(() => broker.connectedClients() === connectedBefore + 1 || undefined, 'the explorer to connect for the leaving view', () => broker.connectedClients());
      leaving.close();
      await until(() => broker.connectedClients() === connectedBefore || undefined, 'the explorer to end when its only view went');
      // Nothing the host sent the view carries the broker's password.
      expect(JSON.stringify(view.messages)).not.toContain(password);
      expect(problems).toEqual([]);
    } finally {
      view.close();
      await publisher.endAsync();
      await host.stop();
      await broker.close();
    }
  });
});
