import type { WebGLRenderer } from 'three';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { decoderWorkerFile } from '../../src-main/common/content-security-policy.ts';
import { reportProblem } from '../state/view-store.ts';
import { modelLoadTracker, type ModelLoadTracker } from './model-load-progress.ts';

/**
 * KTX2Loader with its transcoder worker started from the app's own file instead of a blob: a blob worker
 * takes the page's policy, which (rightly) forbids the eval the transcoder's glue needs; the file is
 * served with a policy of its own (see `decoderWorkerContentSecurityPolicy`). The worker's text is the same.
 */
class OwnWorkerKTX2Loader extends KTX2Loader {
  override init(): Promise<void> {
    if (this.transcoderPending) return this.transcoderPending;
    const pending = super.init().then(() => {
      URL.revokeObjectURL(this.workerSourceURL);
      // Read by the loader's worker creator each time it starts a worker.
      this.workerSourceURL = new URL(decoderWorkerFile, document.baseURI).href;
    });
    this.transcoderPending = pending;
    return pending;
  }
}

let shared: { renderer: WebGLRenderer; loader: GLTFLoader } | undefined;
const loading = new Map<string, Promise<GLTF>>();

/**
 * A glTF loader for every file a CAD or Blender pipeline writes: .glb, and .gltf with its .bin and textures
 * beside it; Draco and meshopt geometry, KTX2/Basis textures (transcoded to what this renderer's GPU
 * takes), and what GLTFLoader reads itself (WebP, AVIF, quantized attributes, texture transforms, the
 * common material extensions). One per renderer, sharing its decoder workers across every model.
 */
export function modelLoader(renderer: WebGLRenderer): GLTFLoader {
  if (shared?.renderer === renderer) return shared.loader;
  // No decoder paths are set on purpose: three's loaders name their decoders in its own package by
  // `new URL(…, import.meta.url)`, which the renderer build copies beside the bundle (assets/draco_*,
  // assets/basis_*), so they load from the app's own files in browser mode and on the desktop, never a CDN.
  const draco = new DRACOLoader();
  const ktx2 = new OwnWorkerKTX2Loader().detectSupport(renderer);
  const loader = new GLTFLoader().setDRACOLoader(draco).setKTX2Loader(ktx2).setMeshoptDecoder(MeshoptDecoder);
  if (shared) {
    // A new canvas (a remount): the old one's decoder workers are no longer needed.
    shared.loader.dracoLoader?.dispose();
    shared.loader.ktx2Loader?.dispose();
  }
  shared = { renderer, loader };
  return loader;
}

/**
 * The model file at `url`, loaded once however many machines use it (a failure is remembered too: each
 * machine using the file reports it). Its bytes are counted in `tracker` as they arrive.
 */
export function loadModel(url: string, renderer: WebGLRenderer, tracker: ModelLoadTracker = modelLoadTracker): Promise<GLTF> {
  const known = loading.get(url);
  if (known) return known;
  const loader = modelLoader(renderer);
  tracker.started(url);
  const promise = new Promise<GLTF>((resolve, reject) => {
    loader.load(
      url,
      (gltf) => {
        tracker.finished(url, false);
        resolve(gltf);
      },
      (event) => tracker.progressed(url, event.loaded, event.lengthComputable ? event.total : 0),
      (error) => {
        tracker.finished(url, true);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
  loading.set(url, promise);
  return promise;
}

const farLoading = new Map<string, Promise<GLTF | undefined>>();

/**
 * A machine's far-level file (the plant's `lod`), loaded once like any model; when it fails, the reason
 * is reported once (naming the first machine that uses it) and the promise gives undefined, so the kind
 * still shows, with a far level the view simplifies itself.
 */
export function loadFarModel(url: string, renderer: WebGLRenderer, machineId: string): Promise<GLTF | undefined> {
  const known = farLoading.get(url);
  if (known) return known;
  const promise = loadModel(url, renderer).catch((error: unknown) => {
    reportProblem(`${machineId}: cannot show the far level ${url} (simplified in the view instead) — ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  farLoading.set(url, promise);
  return promise;
}
