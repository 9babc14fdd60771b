import { z } from 'zod';

/** Largest tours file read or written: walkthroughs are a few dozen steps, never a data store. */
export const maxToursFileBytes = 256 * 1024;
/** Most viewpoints one plant may keep. */
export const maxViewpoints = 200;
/** Most tours one plant may keep. */
export const maxTours = 50;
/** Most steps one tour may have. */
export const maxTourSteps = 100;
/** Longest caption: a few sentences a room can read. */
export const maxCaptionLength = 500;
/** Shortest and longest stay at one step, in seconds. */
export const stepSeconds = { min: 0.5, max: 3600 } as const;

/** A name as people type it: visible text, no control characters, trimmed. */
const name = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters');
/** A coordinate in metres, within any plant's reach. */
const coordinate = z.number().finite().min(-1e6).max(1e6);
const point = z.tuple([coordinate, coordinate, coordinate]);
/** A moment, in ms since the epoch. */
const moment = z.number().int().min(0).max(8.64e15);

/** A saved camera: where it is, what it looks at, and optionally the machine selected and the moment shown. */
export const viewpointSchema = z
  .object({
    name,
    position: point,
    target: point,
    machine: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, 'a machine id').optional(),
    time: moment.optional(),
  })
  .strict();

/** One step of a tour: a viewpoint, a caption, how long to stay, and optionally a recorded moment to play from and how fast. */
export const tourStepSchema = z
  .object({
    viewpoint: name,
    caption: z
      .string()
      .max(maxCaptionLength)
      .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/u, 'no control characters but line breaks')
      .default(''),
    seconds: z.number().finite().min(stepSeconds.min).max(stepSeconds.max),
    from: moment.optional(),
    speed: z.number().min(0.1).max(100).optional(),
  })
  .strict();

/** A named sequence of steps. */
export const tourSchema = z.object({ name, steps: z.array(tourStepSchema).max(maxTourSteps) }).strict();

/** Everything a tours file holds: the viewpoints and the tours that visit them. */
export const toursDocumentSchema = z
  .object({
    version: z.literal(1).default(1),
    viewpoints: z.array(viewpointSchema).max(maxViewpoints).default([]),
    tours: z.array(tourSchema).max(maxTours).default([]),
  })
  .strict()
  .superRefine((document, context) => {
    const names = new Set<string>();
    for (const [index, viewpoint] of document.viewpoints.entries()) {
      if (names.has(viewpoint.name)) context.addIssue({ code: 'custom', path: ['viewpoints', index, 'name'], message: `a second viewpoint named "${viewpoint.name}"` });
      names.add(viewpoint.name);
    }
    const tourNames = new Set<string>();
    for (const [index, tour] of document.tours.entries()) {
      if (tourNames.has(tour.name)) context.addIssue({ code: 'custom', path: ['tours', index, 'name'], message: `a second tour named "${tour.name}"` });
      tourNames.add(tour.name);
      for (const [stepIndex, step] of tour.steps.entries()) {
        if (!names.has(step.viewpoint)) context.addIssue({ code: 'custom', path: ['tours', index, 'steps', stepIndex, 'viewpoint'], message: `no viewpoint named "${step.viewpoint}"` });
      }
    }
  });

/** A saved camera. */
export type Viewpoint = z.infer<typeof viewpointSchema>;
/** One step of a tour. */
export type TourStep = z.infer<typeof tourStepSchema>;
/** A named sequence of steps. */
export type Tour = z.infer<typeof tourSchema>;
/** The viewpoints and tours of one plant. */
export type ToursDocument = z.infer<typeof toursDocumentSchema>;

/** A document with nothing in it yet. */
export function emptyToursDocument(): ToursDocument {
  return { version: 1, viewpoints: [], tours: [] };
}

/** What a view is told about the tours: the document, whether it may save them, and why a file could not be read. */
export interface ToursView {
  document: ToursDocument;
  /** The file's name (never its folder: a view is not told where the host keeps its files). */
  fileName: string;
  writable: boolean;
  /** Why the file on disk could not be used (then `document` is empty and saving would replace it); null when all is well. */
  problem: string | null;
}
