import { z } from 'zod';

/** Longest annotation text, in characters: a paragraph or two of findings. */
export const maxAnnotationTextLength = 2000;
/** Longest author name, as the alarm actions' operator names. */
export const maxAuthorLength = 64;
/** Most annotations one read returns: a bound on memory and on what a view is sent. */
export const maxAnnotationsPerRead = 5000;

// Control characters other than tab and line breaks have no place in text a person writes; nor have the
// direction overrides and isolates, which make a note or a name read as something else than it holds.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const recordedTime = z.number().int().min(0).max(8_640_000_000_000_000);

/** Who wrote an annotation: a name, trimmed, on one line. */
export const authorSchema = z
  .string()
  .trim()
  .min(1, 'an annotation needs who wrote it')
  .max(maxAuthorLength)
  .refine((name) => !controlCharacters.test(name) && !/[\r\n\u2028\u2029]/.test(name), 'a name holds no control characters or line breaks');

/** An annotation's text: not blank, bounded, no control characters but tabs and line breaks. */
export const annotationTextSchema = z
  .string()
  .max(maxAnnotationTextLength)
  .refine((text) => text.trim() !== '', 'an annotation needs text')
  .refine((text) => !controlCharacters.test(text), 'an annotation holds no control characters');

/** What a view sends to add an annotation: the moment (and maybe the machine) it is pinned to, who writes it, and the text. */
export const addAnnotationSchema = z
  .object({
    time: recordedTime,
    machine: z.number().int().min(0).max(1_000_000).nullable(),
    author: authorSchema,
    text: annotationTextSchema,
  })
  .strict();

/** A note pinned to a moment of the plant's history, and optionally to a machine. */
export const annotationSchema = z
  .object({
    /** Unique across files and packages (random), so one annotation is never shown twice. */
    id: z.string().regex(/^[0-9a-f-]{8,64}$/),
    time: recordedTime,
    machine: z.number().int().min(0).max(1_000_000).nullable(),
    author: authorSchema,
    text: annotationTextSchema,
    /** When it was written (ms since the epoch). */
    createdAt: recordedTime,
  })
  .strict();

/** An annotation as views get it. */
export type Annotation = z.infer<typeof annotationSchema>;
/** A view's request to add one. */
export type AddAnnotation = z.infer<typeof addAnnotationSchema>;

/** The annotations whose text, author or machine name holds every word of `query` (case-insensitive), in time order. */
export function searchAnnotations(annotations: readonly Annotation[], query: string, machineName: (machine: number) => string = () => ''): Annotation[] {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const found = words.length === 0 ? [...annotations] : annotations.filter((annotation) => {
    const haystack = `${annotation.text}\n${annotation.author}\n${annotation.machine === null ? '' : machineName(annotation.machine)}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  return found.sort((a, b) => a.time - b.time || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}
