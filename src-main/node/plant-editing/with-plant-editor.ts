import type { TwinlineSource } from '../../common/contract.ts';
import { listModelFiles } from './list-model-files.ts';
import type { PlantEditor } from './plant-editor.ts';

/**
 * A view's source that also answers the plant editor's requests (`serve --edit`). `offerModelFiles`
 * hears the model files listed to a view, so the server can serve them before a saved plant names them.
 */
export function withPlantEditor(source: TwinlineSource, editor: PlantEditor, offerModelFiles?: (files: readonly string[]) => void): TwinlineSource {
  // This view's uploads under way: dropped when it goes, rather than holding a place until they idle out.
  const uploading = new Set<string>();
  const added: Partial<TwinlineSource> = {
    plantEditor: () => editor.view(),
    editPlant: (request) => editor.request(request),
    modelFiles: () => {
      const listed = listModelFiles(editor.modelsDirectory());
      offerModelFiles?.(listed.files);
      return listed;
    },
    uploadModelFile: (request) => {
      // Another view's upload is not this view's to add to, finish or cancel.
      if (request.step !== 'begin' && !uploading.has(request.uploadId)) throw new Error('no such upload (it was finished, cancelled, or dropped after a minute without data)');
      let reply: ReturnType<PlantEditor['uploads']['handle']>;
      try {
        reply = editor.uploads.handle(request);
      } catch (error) {
        if (request.step !== 'begin') uploading.delete(request.uploadId);
        throw error;
      }
      if ('uploadId' in reply) uploading.add(reply.uploadId);
      if (request.step === 'finish' || request.step === 'cancel') uploading.delete(request.uploadId);
      // The new file is served at once, so the view can load it and add a machine from it.
      if ('file' in reply) offerModelFiles?.([reply.file]);
      return reply;
    },
    dispose: () => {
      editor.uploads.cancel(uploading);
      uploading.clear();
      source.dispose?.();
    },
  };
  // A proxy rather than a copy, so the source's own methods (and those it lacks) pass through as they are.
  return new Proxy(source, {
    get(target, property) {
      if (typeof property === 'string' && Object.hasOwn(added, property)) return added[property as keyof TwinlineSource];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
