import type { DatabaseSync } from 'node:sqlite';
import { parseToursText } from '../../common/tours/parse-tours.ts';

/** The meta rows an incident package adds to a recording; a recording without them is not a package. */
export const packageMetaKeys = { title: 'packageTitle', summary: 'packageSummary', tours: 'packageTours', range: 'packageRange' } as const;

/** Longest title, summary and tours text a package holds. */
export const packageLimits = { titleCharacters: 200, summaryCharacters: 8000, toursBytes: 256 * 1024 } as const;

/** What a package says about itself beside its recorded range. */
export interface PackageInfo {
  title?: string;
  summary?: string;
  /** The plant's tours file as it was when the package was made. */
  toursText?: string;
}

/** A package's own meta as read back: its info, and the range and source file it was cut from. */
export interface ReadPackageInfo extends PackageInfo {
  from: number;
  to: number;
  source: string;
}

// Control characters other than tab and line breaks have no place in text a person writes.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Checks a package's title, summary and tours text for length and control characters; throws naming the field. */
export function validatePackageInfo(info: PackageInfo): PackageInfo {
  const checked: PackageInfo = {};
  if (info.title !== undefined) {
    const title = info.title.trim();
    if (title.length > packageLimits.titleCharacters) throw new Error(`the title is ${title.length} characters long; at most ${packageLimits.titleCharacters}`);
    if (controlCharacters.test(title) || /[\r\n]/.test(title)) throw new Error('the title holds control characters or line breaks');
    if (title !== '') checked.title = title;
  }
  if (info.summary !== undefined) {
    if (info.summary.length > packageLimits.summaryCharacters) throw new Error(`the summary is ${info.summary.length} characters long; at most ${packageLimits.summaryCharacters}`);
    if (controlCharacters.test(info.summary)) throw new Error('the summary holds control characters');
    if (info.summary.trim() !== '') checked.summary = info.summary;
  }
  if (info.toursText !== undefined) {
    if (Buffer.byteLength(info.toursText) > packageLimits.toursBytes) throw new Error(`the tours file is larger than ${packageLimits.toursBytes} bytes`);
    if (controlCharacters.test(info.toursText)) throw new Error('the tours file holds control characters');
    // Checked as the tours module reads a tours file: a package never carries tours no view could show.
    parseToursText(info.toursText, 'the tours file');
    checked.toursText = info.toursText;
  }
  return checked;
}

/**
 * A package's info from its meta, or undefined when the file is not a package. Values are bounded and
 * checked before they are trusted; a malformed one is read as absent (the recording itself still replays).
 */
export function readPackageInfo(database: DatabaseSync): ReadPackageInfo | undefined {
  const statement = database.prepare("SELECT CASE WHEN typeof(value) = 'text' AND octet_length(value) <= ? THEN value END AS value FROM meta WHERE key = ?");
  const text = (key: string, maxBytes: number) => (statement.get(maxBytes, key) as { value: string | null } | undefined)?.value ?? undefined;
  const rangeText = text(packageMetaKeys.range, 4096);
  if (rangeText === undefined) return undefined;
  let range: unknown;
  try {
    range = JSON.parse(rangeText);
  } catch {
    // A package range that is not JSON: the file reads as a plain recording.
    return undefined;
  }
  const { from, to, source } = (range ?? {}) as Record<string, unknown>;
  if (typeof from !== 'number' || typeof to !== 'number' || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to || typeof source !== 'string') return undefined;
  // Each value on its own: a forged one is left out, never shown, and takes nothing else with it.
  const checked = (value: PackageInfo): PackageInfo => {
    try {
      return validatePackageInfo(value);
    } catch {
      return {};
    }
  };
  const info: PackageInfo = {
    ...checked({ title: text(packageMetaKeys.title, packageLimits.titleCharacters * 4) }),
    ...checked({ summary: text(packageMetaKeys.summary, packageLimits.summaryCharacters * 4) }),
    ...checked({ toursText: text(packageMetaKeys.tours, packageLimits.toursBytes) }),
  };
  return { ...info, from, to, source: source.slice(0, 1024) };
}
