import { useEffect, useState } from 'react';
import { modelLoadTracker, type ModelLoadProgress } from '../scene/model-load-progress.ts';
import { formatBytes } from './format-bytes.ts';

/** How often the overlay reads the tracker: often enough to move smoothly, rarely enough to cost nothing. */
const refreshMs = 250;

/**
 * A small overlay while model files load: files and bytes loaded of the total. Machines appear as their
 * own files arrive, so this only tells how much more is coming; it disappears once every file is in or failed.
 */
export function ModelLoadingProgress() {
  const [progress, setProgress] = useState<ModelLoadProgress>(() => modelLoadTracker.progress());
  useEffect(() => {
    let seen = modelLoadTracker.changes();
    const timer = setInterval(() => {
      const changes = modelLoadTracker.changes();
      if (changes === seen) return;
      seen = changes;
      setProgress(modelLoadTracker.progress());
    }, refreshMs);
    return () => clearInterval(timer);
  }, []);
  const done = progress.loaded + progress.failed;
  if (progress.models === 0 || done === progress.models) return null;
  const bytes = progress.bytesTotal > 0 ? ` · ${formatBytes(progress.bytesLoaded)} of ${formatBytes(progress.bytesTotal)}` : '';
  return (
    <div className="model-progress" role="status" aria-live="polite">
      <span>
        Loading models: {done} of {progress.models}
        {bytes}
      </span>
      <progress max={Math.max(progress.bytesTotal, 1)} value={progress.bytesLoaded} />
    </div>
  );
}
