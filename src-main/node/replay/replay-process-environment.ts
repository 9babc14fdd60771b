/** Variables the replay process needs (finding programs and temporary folders, the locale); no others. */
const passedVariables = ['PATH', 'Path', 'HOME', 'USERPROFILE', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'SystemRoot', 'SYSTEMROOT', 'windir'];

/**
 * The environment the replay process starts with: only what it needs, since a plant's broker
 * passwords may sit in the host's environment (`${VARIABLE}` in the plant file) and replay never uses them.
 */
export function replayProcessEnvironment(environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(passedVariables.flatMap((name) => (environment[name] === undefined ? [] : [[name, environment[name]!]])));
}
