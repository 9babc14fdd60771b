/** One audio context for the view, made on first use (a browser lets it play once the user has interacted). */
let context: AudioContext | undefined;

/** The view's audio context, resumed; undefined where the browser has no WebAudio. */
function audio(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  context ??= new AudioContext();
  if (context.state === 'suspended') {
    context.resume().catch((error: unknown) => console.warn(`Twinline: the alarm sound cannot start (${error instanceof Error ? error.message : String(error)})`));
  }
  return context;
}

/** Readies the sound while the user is choosing it, so later tones are allowed to play. */
export function unlockAlarmTone(): void {
  try {
    audio();
  } catch (error) {
    console.warn(`Twinline: the alarm sound cannot be readied (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Two short falling tones (880 Hz, then 660 Hz), made with WebAudio: no file to ship or load. A view
 * that cannot play sound says so on the console and carries on: the list shows the alarm either way.
 */
export function playAlarmTone(): void {
  try {
    const output = audio();
    if (!output) return;
    const start = output.currentTime;
    [880, 660].forEach((frequency, index) => {
      const oscillator = output.createOscillator();
      const gain = output.createGain();
      const at = start + index * 0.2;
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A quick fade in and out, so the tone does not click.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.25, at + 0.02);
      gain.gain.linearRampToValueAtTime(0, at + 0.18);
      oscillator.connect(gain).connect(output.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.2);
    });
  } catch (error) {
    console.warn(`Twinline: the alarm sound cannot play (${error instanceof Error ? error.message : String(error)})`);
  }
}
