import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkIncidentFolderRoom, maxViewIncidentBytes, maxViewIncidentPackages } from './incident-folder-room.ts';
import { incidentsFolderName, saveIncident } from './save-incident.ts';

const root = mkdtempSync(join(tmpdir(), 'twinline-incident-room-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the room a view has for incident packages', () => {
  it('refuses a package from a view once the incidents folder holds the most packages, or bytes, views may leave', () => {
    const recordings = join(root, 'recordings');
    const folder = join(recordings, incidentsFolderName);
    mkdirSync(folder, { recursive: true });
    // A missing folder has room; files that are not packages take none.
    expect(() => checkIncidentFolderRoom(join(root, 'none'))).not.toThrow();
    writeFileSync(join(folder, 'notes.txt'), 'not a package');
    for (let index = 0; index < maxViewIncidentPackages - 1; index++) writeFileSync(join(folder, `incident-${index}.twinline`), 'x');
    expect(() => checkIncidentFolderRoom(folder)).not.toThrow();
    writeFileSync(join(folder, 'incident-last.twinline'), 'x');
    // Refused before the recording is read or anything is written.
    const params = { from: 1_000, to: 2_000, title: 'one too many' };
    expect(() => saveIncident(join(recordings, 'missing.twinline'), recordings, params)).toThrow(/holds 100 packages already/);
    expect(readdirSync(folder)).toHaveLength(maxViewIncidentPackages + 1);

    // Fewer packages, but one huge one (sparse, so it costs the test no disk).
    unlinkSync(join(folder, 'incident-last.twinline'));
    truncateSync(join(folder, 'incident-0.twinline'), maxViewIncidentBytes);
    expect(() => saveIncident(join(recordings, 'missing.twinline'), recordings, params)).toThrow(/take 4096 MiB already/);

    // With room, a package that cannot be written says why, without the host's folders.
    truncateSync(join(folder, 'incident-0.twinline'), 1);
    let failure = '';
    try {
      saveIncident(join(recordings, 'missing.twinline'), recordings, params);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    expect(failure).toContain('missing.twinline');
    expect(failure).not.toContain(root);
  });
});
