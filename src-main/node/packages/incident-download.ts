/** A package's name as the host makes it when a view saves one (see `saveIncident`): nothing else is served. */
const incidentName = /^incident-[0-9A-Za-z-]{1,80}\.twinline$/;

/**
 * Which saved incident package a request under /incidents/ names, or undefined when it names none the
 * host would have made (or there is no incidents folder): a request never reaches another file.
 */
export function incidentDownload(directory: string | undefined, requested: string): { directory: string; name: string } | undefined {
  if (directory === undefined || !incidentName.test(requested)) return undefined;
  return { directory, name: requested };
}
