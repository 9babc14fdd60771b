import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostMethods } from '../../common/contract.ts';
import { checkIncidentFolderRoom } from './incident-folder-room.ts';
import { writeIncidentPackage } from './write-incident-package.ts';

/** The folder, inside the recordings folder, where packages saved from a view go (never among the recordings: a package is not part of their session). */
export const incidentsFolderName = 'incidents';
/** Longest range a view may package: the write runs in the view's replay worker, within its time limit; longer ones go through `twinline package`. */
export const maxViewPackageMs = 3_600_000;

/**
 * Writes an incident package of `from`–`to` of the session `source` belongs to into the recordings
 * folder's `incidents` folder, under a name made here (a view never names a path), and returns that
 * name. Called in a replay worker, off the ingest loop.
 */
export function saveIncident(source: string, recordingsDirectory: string, params: HostMethods['saveIncident']['params']): HostMethods['saveIncident']['result'] {
  if (params.to - params.from > maxViewPackageMs) throw new Error(`a view packages at most an hour; use twinline package for ${Math.round((params.to - params.from) / 60_000)} minutes`);
  const folder = join(recordingsDirectory, incidentsFolderName);
  checkIncidentFolderRoom(folder);
  mkdirSync(folder, { recursive: true });
  const name = `incident-${new Date(params.from).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.twinline`;
  let written: ReturnType<typeof writeIncidentPackage>;
  try {
    written = writeIncidentPackage(source, join(folder, name), { from: params.from, to: params.to, title: params.title, summary: params.summary });
  } catch (error) {
    // The view is told why, but not where the host keeps its recordings: the messages name whole paths.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.split(recordingsDirectory).join('the recordings folder'), { cause: error });
  }
  return { name: `${incidentsFolderName}/${name}`, from: written.from, to: written.to, annotations: written.annotations };
}
