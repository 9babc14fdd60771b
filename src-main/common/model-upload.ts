import { z } from 'zod';

/** Largest model file a view may upload into the models folder (`serve --edit`). */
export const maxModelUploadBytes = 64 * 1024 * 1024;
/** Bytes of one upload chunk before base64: with its envelope it stays well inside a view message (64 KiB). */
export const modelUploadChunkBytes = 32 * 1024;

/** Most files a .gltf uploaded from a view may bring beside it (its buffers and images). */
export const maxModelCompanionFiles = 64;

const uploadId = z.string().regex(/^[a-z0-9]{8,32}$/);

/** A file uploaded beside a .gltf: its name as the .gltf refers to it, and its size in bytes. */
const companionFile = z.object({ name: z.string().min(1).max(255), size: z.number().int().min(1).max(maxModelUploadBytes) }).strict();

/** The steps of uploading a model file: begin (name and size, and a .gltf's separate files), chunks in order (base64), finish (checked and written), or cancel. */
export const modelUploadRequestSchema = z.discriminatedUnion('step', [
  z
    .object({
      step: z.literal('begin'),
      name: z.string().min(1).max(255),
      size: z.number().int().min(1).max(maxModelUploadBytes),
      // A .gltf's separate buffers and images: their bytes follow the .gltf's in the chunks, in this order.
      files: z.array(companionFile).max(maxModelCompanionFiles).optional(),
    })
    .strict()
    .refine((begin) => uploadBytes(begin) <= maxModelUploadBytes, { message: `an upload holds at most ${maxModelUploadBytes} bytes in all` }),
  z
    .object({
      step: z.literal('chunk'),
      uploadId,
      offset: z.number().int().min(0).max(maxModelUploadBytes),
      data: z.string().min(1).max(Math.ceil(modelUploadChunkBytes / 3) * 4).regex(/^[A-Za-z0-9+/]+={0,2}$/),
    })
    .strict(),
  z.object({ step: z.literal('finish'), uploadId }).strict(),
  z.object({ step: z.literal('cancel'), uploadId }).strict(),
]);

/** Bytes of every file of an upload together: the model file's and those of the files beside it. */
export function uploadBytes(begin: { size: number; files?: ReadonlyArray<{ size: number }> | undefined }): number {
  return begin.size + (begin.files ?? []).reduce((sum, file) => sum + file.size, 0);
}

/** One step of a model upload. */
export type ModelUploadRequest = z.infer<typeof modelUploadRequestSchema>;

/** What a step answers: the upload's id (begin), the bytes received so far (chunk), the file's name in the models folder (finish). */
export type ModelUploadReply = { uploadId: string } | { received: number } | { file: string } | { cancelled: true };

/**
 * The name an uploaded model is written under: the file's own name without any folder, letters, digits,
 * ".", "_" and "-" kept and anything else (spaces too) made "-", ending in .glb or .gltf, a name Windows keeps
 * for a device ("CON", "NUL", "COM1" …) prefixed with "model-"; undefined when no
 * such name can be made (another kind of file, or nothing left of the name).
 */
export function sanitiseModelFileName(name: string): string | undefined {
  const base = name.split(/[/\\]/).pop() ?? '';
  const match = /^(.*)\.(glb|gltf)$/i.exec(base);
  if (!match) return undefined;
  // Only what a plant file's `model.file` takes: letters, digits, ".", "_" and "-" (spaces become "-").
  const stem = match[1]!
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 100);
  if (stem === '') return undefined;
  // Windows opens a device, not a file, for these names whatever follows the first dot: the plant must move between machines.
  const safeStem = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i.test(stem.split('.')[0]!.trim()) ? `model-${stem}` : stem;
  return `${safeStem}.${match[2]!.toLowerCase()}`;
}
