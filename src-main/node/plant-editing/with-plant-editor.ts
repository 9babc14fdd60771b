import type { TwinlineSource } from '../../common/contract.ts';
import { listModelFiles } from './list-model-files.ts';
import type { PlantEditor } from './plant-editor.ts';

/**
 * A view's source that also answers the plant editor's requests (`serve --edit`). `offerModelFiles`
 * hears the model files listed to a view, so the server can serve them before a saved plant names them.
 */
export function withPlantEditor(source: TwinlineSource, editor: PlantEditor, offerModelFiles?: (files: readonly string[]) => void): TwinlineSource {
  const added: Partial<TwinlineSource> = {
    plantEditor: () => editor.view(),
    editPlant: (request) => editor.request(request),
    modelFiles: () => {
      const listed = listModelFiles(editor.modelsDirectory());
      offerModelFiles?.(listed.files);
      return listed;
    },
    uploadModelFile: (request) => {
      const reply = editor.uploads.handle(request);
      // The new file is served at once, so the view can load it and add a machine from it.
      if ('file' in reply) offerModelFiles?.([reply.file]);
      return reply;
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
