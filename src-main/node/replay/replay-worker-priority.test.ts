import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { ReplayWorkerClient } from './replay-worker-client.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-replay-priority-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const t0 = 1_700_000_000_000;
const plantText = `name: Priorities
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force }] }
`;
const plant = parsePlantOrThrow(plantText);
const file = join(folder, 'twinline-20231114-221320Z.twinline');
const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] });
for (let second = 0; second < 5; second++) recorder.recordSample(0, second, t0 + second * 1000);
recorder.close();

/** The threads of this process running at the lowest CPU priority (nice, field 19 of each thread's stat). */
function lowestPriorityThreads(): number {
  return readdirSync('/proc/self/task').filter((thread) => {
    const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces) start with the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19 - 3]) === constants.priority.PRIORITY_LOW;
  }).length;
}

/** The lowest-priority threads while a replay worker has entered the recording. */
async function whileReplaying(hasLive: boolean): Promise<number> {
  const client = new ReplayWorkerClient({ data: { plant, hasLive }, onUpdate: () => undefined, onFailure: (reason) => expect.fail(reason), timeoutMs: 30_000 });
  try {
    await client.request('enter', { time: t0 + 2000 }, file);
    return lowestPriorityThreads();
  } finally {
    await client.close();
  }
}

describe.runIf(process.platform === 'linux')('a replay worker\'s CPU priority', () => {
  it('is lowered beside live ingest, and left as it is in a host without live (an opened recording)', { timeout: 60_000 }, async () => {
    const before = lowestPriorityThreads();
    expect(await whileReplaying(true)).toBe(before + 1);
    expect(await whileReplaying(false)).toBe(before);
  });
});
