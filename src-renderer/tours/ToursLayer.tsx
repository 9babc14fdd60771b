import { useEffect } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { PresentationOverlay, TourCaption } from './PresentationOverlay.tsx';
import { TourPlayer } from './TourPlayer.tsx';
import { ToursPanel } from './ToursPanel.tsx';
import { kioskTourOf, loadTours, startPresenting, stopPresenting, useToursState } from './tours-state.ts';
import './tours.css';

/** How often a kiosk waiting for its tour asks for the tours again. */
const kioskWaitMs = 10_000;

/** A kiosk address is applied once per page, not again after the view links anew. */
let kioskApplied = false;

/**
 * Viewpoints, tours and presentation mode over the scene: the Tours button and panel, the tour
 * player and its caption, and the presentation overlay. The tours load whenever the view links
 * (again) to its host; a kiosk address (`?present=TOUR`) opens straight into presentation mode.
 */
export function ToursLayer({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  const panelOpen = useToursState((state) => state.panelOpen);
  const presenting = useToursState((state) => state.presenting);
  const kioskTour = useToursState((state) => state.kioskTour);
  const hasDocument = useToursState((state) => state.document !== null && state.document.tours.some((tour) => tour.name === state.kioskTour));

  useEffect(() => {
    if (!kioskApplied) {
      kioskApplied = true;
      const tour = kioskTourOf(location.search);
      if (tour !== null) {
        useToursState.setState({ kioskTour: tour });
        startPresenting();
      }
    }
    void loadTours();
  }, [description]);

  useEffect(() => {
    if (kioskTour === null || hasDocument) return;
    const timer = setInterval(() => void loadTours().catch((error: unknown) => console.warn('Twinline: reloading the tours for the kiosk failed', error)), kioskWaitMs);
    return () => clearInterval(timer);
  }, [kioskTour, hasDocument]);

  return (
    <>
      <TourPlayer />
      {presenting ? (
        <button type="button" className="tours-leave" onClick={stopPresenting} title="Leave presentation mode (Escape)">
          ✕
        </button>
      ) : (
        <button type="button" className="tours-button" aria-expanded={panelOpen} onClick={() => useToursState.setState({ panelOpen: !panelOpen })}>
          Tours
        </button>
      )}
      {panelOpen && !presenting ? <ToursPanel /> : null}
      <PresentationOverlay description={description} buffer={buffer} />
      <TourCaption />
    </>
  );
}
