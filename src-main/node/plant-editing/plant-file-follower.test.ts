import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { listRecordings } from '../recording/recording-manager.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { until } from '../testing/until.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import { PlantDocument } from './plant-document.ts';
import { PlantFileFollower } from './plant-file-follower.ts';
import { contentHash, savePlantFile } from './save-plant-file.ts';
import { frameSampleTimeAt } from '../../common/frame-batch.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-follow-'));
const file = join(folder, 'plant.yaml');
const recordings = join(folder, 'recordings');
let broker: EmbeddedBroker | undefined;
let follower: PlantFileFollower | undefined;
let publisher: mqtt.MqttClient | undefined;

afterAll(async () => {
  await publisher?.endAsync(true);
  await follower?.stop();
  await broker?.close();
  rmSync(folder, { recursive: true, force: true });
});

const plantWith = (machines: string) => `# Followed while it runs.
name: Followed line
brokers:
  - id: line
    url: ${broker!.url}
machines:
${machines}`;
const press = (id: string) => `  - id: ${id}
    name: ${id}
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: force, topic: line/${id}/force }
`;

/** The live value of `machineId/force` on a host, or undefined while it has none. */
function liveForce(host: RunningHost, machineId: string): number | undefined {
  const keys = host.source.describePlant().signalKeys;
  const snapshot = host.source.snapshot();
  // A snapshot is a full frame: a signal's position is its index.
  const position = keys.indexOf(`${machineId}/force`);
  return position < 0 || frameSampleTimeAt(snapshot, position) === 0 ? undefined : snapshot.signalValue[position];
}

describe('PlantFileFollower', () => {
  it('runs a changed plant file without a restart: new topics live, a new recording with the new plant, a bad file refused', { timeout: 60_000 }, async () => {
    broker = await startEmbeddedBroker();
    writeFileSync(file, plantWith(press('press-1')));
    const options = { plantFile: file, simulate: false, stageOutages: false, recording: { directory: recordings, commitIntervalMs: 100 } };
    const applied: string[] = [];
    const refused: string[] = [];
    const errors: string[] = [];
    follower = new PlantFileFollower({
      host: await startHost(options),
      startHost: () => startHost(options),
      onApplied: (host, previous) => applied.push(`${previous.source.describePlant().plant.machines.length}->${host.source.describePlant().plant.machines.length}`),
      onRefused: (reason) => refused.push(reason),
      logError: (line) => errors.push(line),
      debounceMs: 50,
    });
    const first = follower.host;
    publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    await until(async () => {
      await publisher!.publishAsync('line/press-1/force', '11');
      return liveForce(follower!.host, 'press-1') === 11;
    }, 'press-1 live', () => follower!.host.source.connections(), 15_000, 100);

    // Someone adds a machine in their text editor: the host follows, and the new machine's topic is live.
    writeFileSync(file, plantWith(press('press-1') + press('press-2')));
    await until(() => applied.length === 1, 'the changed plant applied', () => ({ refused, errors }), 20_000);
    expect(applied).toEqual(['1->2']);
    expect(follower.host).not.toBe(first);
    await until(async () => {
      await publisher!.publishAsync('line/press-2/force', '22');
      return liveForce(follower!.host, 'press-2') === 22;
    }, 'press-2 live on the new host', () => follower!.host.source.connections(), 15_000, 100);

    // A broken save is refused with its problems; the plant that runs stays.
    writeFileSync(file, plantWith(`${press('press-1')}  - id: press-3\n`));
    await until(() => refused.length === 1, 'the broken plant refused', () => ({ applied, errors }), 20_000);
    expect(refused[0]).toContain('machines[1].name: required');
    expect(follower.host.source.describePlant().plant.machines).toHaveLength(2);

    // The editor saves: the follower is told and applies it; the watch does not apply it a second time.
    const document = new PlantDocument(plantWith(press('press-1') + press('press-2')));
    document.apply({ type: 'deleteMachine', machineId: 'press-1' });
    const hash = savePlantFile(file, document.text, { expectedHash: contentHash(readFileSync(file)) });
    follower.acknowledge(hash);
    expect(await follower.reload()).toMatchObject({ ok: true, plant: { machines: [{ id: 'press-2' }] } });
    expect(applied).toEqual(['1->2', '2->1']);
    expect(errors).toEqual([]);

    // Every recording holds one version of the plant: the first, the second, the third.
    await follower.stop();
    follower = undefined;
    const plants = listRecordings(recordings).map((entry) => {
      const reader = new RecordingReader(entry.file);
      try {
        return reader.plant.machines.map((machine) => machine.id).join(',');
      } finally {
        reader.close();
      }
    });
    expect(plants).toEqual(['press-1', 'press-1,press-2', 'press-2']);
  });
});
