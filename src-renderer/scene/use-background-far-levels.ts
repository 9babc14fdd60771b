import { useEffect, useState } from 'react';
import { reportProblem } from '../state/view-store.ts';
import { checkedFarLevels, farLevelInputs } from './far-level.ts';
import { simplifyInBackground } from './far-level-worker-client.ts';
import type { KindModel } from './kind-model.ts';
import type { SimplifiedFarLevels } from './simplify-far-levels.ts';

/** What the background worker made for a model: its far levels, or nothing (it failed: drawn at full detail). */
export type BackgroundFarLevels = { model: KindModel; levels: SimplifiedFarLevels | undefined };

/** Reasons already listed: a worker that cannot start fails every kind alike, and is listed once. */
const reported = new Set<string>();

/**
 * The far levels of `model`, simplified in the view's background worker: undefined while it works (or
 * when `model` is undefined), then the result for this model. A failure is listed once and gives a
 * result without levels, so the kind is drawn at full detail — slower, still right.
 */
export function useBackgroundFarLevels(model: KindModel | undefined): BackgroundFarLevels | undefined {
  const [made, setMade] = useState<BackgroundFarLevels>();
  useEffect(() => {
    if (!model) return;
    let current = true;
    simplifyInBackground(farLevelInputs(model))
      // What the worker sent is checked against the model before anything is drawn from it.
      .then((answer) => checkedFarLevels(model, answer))
      .then(
        (levels) => {
          if (current) setMade({ model, levels });
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          if (!reported.has(reason)) {
            reported.add(reason);
            reportProblem(`Far machines are drawn at full detail: ${reason}`);
          }
          if (current) setMade({ model, levels: undefined });
        },
      );
    return () => {
      current = false;
    };
  }, [model]);
  return made?.model === model ? made : undefined;
}
