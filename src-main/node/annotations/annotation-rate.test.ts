import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../common/annotations/annotation.ts';
import { LiveSource } from '../live-source.ts';
import { connectCapturingView } from '../testing/capturing-view.ts';
import { testPlant, unusedBroker } from '../testing/test-plants.ts';
import { AnnotationService, hostNoteBurst, hostNoteEveryMs } from './annotation-service.ts';
import { viewNoteBurst, viewNoteEveryMs, withAnnotations } from './with-annotations.ts';

describe('the rate at which views add notes', () => {
  it('refuses a view that floods notes, and all views together past the host bound, while the others and later notes go in', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const written: Annotation[] = [];
    const service = new AnnotationService({ machineCount: 1, recorder: { onAnnotations: (added) => written.push(...added) }, clock, log: () => undefined });
    const problems: string[] = [];
    const plant = testPlant({ name: 'Notes plant', brokers: [unusedBroker], machines: [{ id: 'oven', signals: [{ id: 'temperature', topic: 't/oven' }] }] });
    const connect = () => connectCapturingView(withAnnotations(new LiveSource({ plant }), service, clock), (problem) => problems.push(problem));
    let id = 1;
    const note = { time: now, machine: null, author: 'Ana', text: 'a note' };
    const add = async (view: ReturnType<typeof connect>) => view.ask(id++, 'addAnnotation', note);

    const flooder = connect();
    for (let index = 0; index < viewNoteBurst; index++) expect((await add(flooder)).ok).toBe(true);
    const refused = await add(flooder);
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain('this view adds notes too fast');
    // Another view is not held back by the flooder, and the flooder may go on after a while.
    expect((await add(connect())).ok).toBe(true);
    now += viewNoteEveryMs;
    expect((await add(flooder)).ok).toBe(true);
    expect((await add(flooder)).ok).toBe(false);

    // Many views together stop at the host's bound, whatever each one's own.
    let accepted = written.length;
    let hostRefused = '';
    for (let view = 0; view < Math.ceil(hostNoteBurst / viewNoteBurst) + 1 && hostRefused === ''; view++) {
      const next = connect();
      for (let index = 0; index < viewNoteBurst; index++) {
        const reply = await add(next);
        if (reply.ok) accepted++;
        else hostRefused = JSON.stringify(reply);
      }
    }
    expect(hostRefused).toContain('notes are coming faster than the host takes them');
    expect(written).toHaveLength(accepted);
    // The burst, and what the host refilled over the flooder's wait.
    expect(accepted).toBe(hostNoteBurst + viewNoteEveryMs / hostNoteEveryMs);
    now += hostNoteEveryMs;
    expect((await add(connect())).ok).toBe(true);
    expect(problems).toEqual([]);
  });
});
