// Entry of the view's far-level worker: simplifies models' triangle lists off the thread that draws.
import { MeshoptSimplifier } from 'meshoptimizer';
import type { FarLevelAnswer, FarLevelRequest } from './far-level-worker-client.ts';
import { simplifyFarLevels } from './simplify-far-levels.ts';

/** The worker's side of its channel (the page's type library describes the window, not a worker). */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<FarLevelRequest>) => void) | null;
  postMessage(message: FarLevelAnswer, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  const { id, inputs } = event.data;
  MeshoptSimplifier.ready
    .then(() => {
      const levels = simplifyFarLevels(inputs, MeshoptSimplifier);
      // The simplified lists go back without a copy: this side keeps nothing.
      const transfer = levels.flatMap((lists) => lists.flatMap((list) => (list ? [list.buffer] : [])));
      scope.postMessage({ id, levels }, transfer);
    })
    .catch((error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }, []));
};
