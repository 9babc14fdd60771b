import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Annotation } from '../../common/annotations/annotation.ts';
import type { AnnotationList } from '../../common/contract.ts';
import { openRecording } from '../open-recording.ts';
import { readPackageInfo } from '../packages/package-info.ts';
import type { CapturingView } from '../testing/capturing-view.ts';
import { startRecordingHostRig, type RecordingHostRig } from '../testing/recording-host-rig.ts';
import { until } from '../testing/until.ts';

const plantDefinition = {
  name: 'Annotated plant',
  brokers: [{ id: 'line' }],
  machines: [
    { id: 'oven', signals: [{ id: 'temperature', topic: 't/oven' }] },
    { id: 'pump', signals: [{ id: 'pressure', topic: 't/pump' }] },
  ],
};

let rig: RecordingHostRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type AnnotationEvent = { type: 'event'; stream: 'annotations'; data: Annotation[] };
const isAnnotationEvent = (message: unknown): message is AnnotationEvent => (message as { stream?: string }).stream === 'annotations';

describe('annotations through the contract', () => {
  it('a view adds a validated annotation to the live recording, every view is sent it, it is read back live, in replay and from the file opened alone, and a package saved from the view carries it', { timeout: 90_000 }, async () => {
    rig = await startRecordingHostRig({ name: 'annotations-live', plant: plantDefinition });
    const { problems, publisher, recordings } = rig;
    const writer = rig.connectView();
    const other = rig.connectView();
    await other.ask(1, 'subscribe', { streams: ['annotations'] });
    const started = Date.now();
    for (let index = 0; index < 10; index++) {
      await publisher.publishAsync('t/oven', String(20 + index));
      await publisher.publishAsync('t/pump', String(3 + index / 10));
    }
    const pinnedAt = started + 100;
    // Refused: blank text, no author, a bell in the name, too long, a machine the plant lacks, a field the contract lacks.
    const refusals = [
      { time: pinnedAt, machine: null, author: 'Ana', text: '   ' },
      { time: pinnedAt, machine: null, author: '', text: 'who wrote this?' },
      { time: pinnedAt, machine: null, author: 'Ana\u0007', text: 'a bell' },
      { time: pinnedAt, machine: null, author: 'Ana', text: 'x'.repeat(2001) },
      { time: pinnedAt, machine: 2, author: 'Ana', text: 'no such machine' },
      { time: pinnedAt, machine: null, author: 'Ana', text: 'extra', id: 'mine' },
    ];
    let id = 10;
    for (const params of refusals) {
      const reply = await writer.ask(id++, 'addAnnotation', params);
      expect(reply.ok, JSON.stringify(params).slice(0, 80)).toBe(false);
    }
    const added = await writer.ask(id++, 'addAnnotation', { time: pinnedAt, machine: 1, author: ' Ana ', text: 'Pump pressure dipped\nafter the valve change' });
    expect(added.ok).toBe(true);
    const annotation = added.result as Annotation;
    expect(annotation).toMatchObject({ time: pinnedAt, machine: 1, author: 'Ana', text: 'Pump pressure dipped\nafter the valve change' });
    // Every subscribed view is sent it at once.
    await until(() => other.messages.some((message) => isAnnotationEvent(message) && message.data.some((sent) => sent.id === annotation.id)), 'the other view to be sent the annotation');
    // Asked at once (before the recording's commit) and again once committed, by a view that has just connected.
    const list = async (view: CapturingView) => (await view.ask(id++, 'getAnnotations', { from: started, to: started + 60_000 })).result as AnnotationList;
    expect((await list(writer)).annotations).toEqual([annotation]);
    const fresh = rig.connectView();
    await until(async () => (await list(fresh)).annotations.length === 1, 'the annotation in the recording');
    expect((await list(fresh)).canAdd).toBe(true);
    // A replaying view reads the same.
    const player = (await fresh.ask(id++, 'getPlayer')).result as { range: { start: number; end: number } };
    expect((await fresh.ask(id++, 'player', { action: 'seek', time: player.range.start })).ok).toBe(true);
    expect((await list(fresh)).annotations).toEqual([annotation]);
    // Saved as an incident package from the view, once the recording runs past the note's moment.
    await publisher.publishAsync('t/oven', '30');
    await until(async () => ((await fresh.ask(id++, 'getPlayer')).result as { range: { end: number } }).range.end > pinnedAt, 'the recording past the note');
    const saved = await fresh.ask(id++, 'saveIncident', { from: pinnedAt - 50, to: pinnedAt + 60_000, title: 'Valve change' });
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
    const incident = saved.result as { name: string; from: number; annotations: number };
    expect(incident).toMatchObject({ from: pinnedAt - 50, annotations: 1 });
    expect(incident.name).toMatch(/^incidents\/incident-[\w-]+\.twinline$/);
    const packaged = new DatabaseSync(join(recordings, incident.name), { readOnly: true });
    try {
      expect(readPackageInfo(packaged)).toMatchObject({ title: 'Valve change', from: pinnedAt - 50 });
      expect(packaged.prepare('SELECT id FROM annotations').all()).toEqual([{ id: annotation.id }]);
    } finally {
      packaged.close();
    }
    // Never among the recordings (it is not part of their session); more than an hour, or a range backwards, is refused.
    expect(rig.recordingFiles().some((file) => file.includes('incident'))).toBe(false);
    expect((await fresh.ask(id++, 'saveIncident', { from: pinnedAt - 3_600_001, to: pinnedAt })).ok).toBe(false);
    expect((await fresh.ask(id++, 'saveIncident', { from: pinnedAt, to: pinnedAt - 1 })).ok).toBe(false);
    await rig.stopHost();

    // The recording opened alone has it, and takes no new ones.
    const file = rig.recordingFiles().at(-1)!;
    const opened = await openRecording(file, (line) => problems.push(line));
    try {
      const offline = rig.connectView(opened.createViewSource());
      const offlineList = await list(offline);
      expect(offlineList).toEqual({ annotations: [annotation], canAdd: false });
      expect((await offline.ask(id++, 'addAnnotation', { time: pinnedAt, machine: null, author: 'Ana', text: 'too late' })).ok).toBe(false);
    } finally {
      opened.close();
    }
    expect(problems).toEqual([]);
  });
});
