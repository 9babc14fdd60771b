#!/usr/bin/env node
// Says in one line which Node.js Twinline needs, before anything else runs on an older one: the
// command line, `npm start`, `npm run serve`, `npm test`, `npm run bench` and `npm ci` (preinstall).
// Without it, an older Node dies with a stack trace ending in ERR_UNKNOWN_FILE_EXTENSION, which does
// not say that the Node version is the reason.
// npm 10.9 and newer refuse earlier still, before installing or running anything, by package.json's
// devEngines (same range as engines); this check is what older npms and the command line get.
//
// Plain CommonJS with nothing newer than ES2018, so that the oldest Node still on a workstation can
// run it and print the message instead of a syntax error of its own.
'use strict';

// Twinline runs its TypeScript directly, which Node does without a flag from 22.18 (and from 23.6 on
// the short-lived 23 line); node:sqlite, which recordings need, came without a flag before that (22.13).
const minimum = { major: 22, minor: 18 };
const minimumOnOdd = { 23: 6 };

/**
 * The one-line message saying that `version` (e.g. "20.19.2" or "v20.19.2") is too old for Twinline,
 * and how to get a newer one; undefined when the version will do.
 */
function nodeVersionProblem(version) {
  const text = String(version).replace(/^v/, '');
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (match) {
    const major = Number(match[1]);
    const minor = Number(match[2]);
    const oddMinimum = minimumOnOdd[major];
    const supported =
      oddMinimum !== undefined ? minor >= oddMinimum : major > minimum.major || (major === minimum.major && minor >= minimum.minor);
    if (supported) return undefined;
  }
  const major = match ? Number(match[1]) : undefined;
  // Only a user on the odd line needs to hear about its own minimum.
  const needed =
    minimum.major + '.' + minimum.minor + ' or newer' +
    (major !== undefined && minimumOnOdd[major] !== undefined ? ', or ' + major + '.' + minimumOnOdd[major] + ' or newer on Node.js ' + major : '');
  return (
    'Twinline needs Node.js ' + needed + ' (this is ' + text + '): ' +
    'install it from https://nodejs.org or with your package manager (e.g. `nvm install ' + minimum.major + '`).'
  );
}

/** Ends the process with the message and exit code 1 when this Node is too old; returns otherwise. */
function exitUnlessSupportedNode() {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem === undefined) return;
  process.stderr.write(problem + '\n');
  process.exit(1);
}

module.exports = { nodeVersionProblem: nodeVersionProblem, exitUnlessSupportedNode: exitUnlessSupportedNode };

if (require.main === module) exitUnlessSupportedNode();
