import { useEffect } from 'react';
import { useClockSetting } from '../state/clock-setting.ts';
import { reportProblem, useViewStore } from '../state/view-store.ts';
import { fileNameTime } from '../ui/format.ts';
import { takePicture } from './picture-source.ts';

/** Saves the view as a PNG download named after the plant and the moment shown. */
export function savePicture(): void {
  const { description, player } = useViewStore.getState();
  const plantName = description?.plant.name ?? 'twinline';
  const time = player?.mode === 'replay' ? player.time : Date.now();
  takePicture()
    .then(({ blob }) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      const name = plantName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'twinline';
      link.download = `${name}-${fileNameTime(time, useClockSetting.getState().clock)}.png`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    })
    .catch((error: unknown) => reportProblem(`Save Picture: ${error instanceof Error ? error.message : String(error)}`));
}

/** The status bar's Save Picture button, and the P key for it (unless the user is typing). */
export function SavePictureButton() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      try {
        if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
        const target = event.target;
        if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
        if (event.key === 'p' || event.key === 'P') savePicture();
      } catch (error) {
        reportProblem(`Save Picture: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <button type="button" onClick={savePicture} title="Save the view as a PNG at full resolution (P)">
      Save Picture
    </button>
  );
}
