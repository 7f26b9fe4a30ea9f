// Microphone level for the pre-join meter: an AnalyserNode read once per animation frame.
import type { Subscribable } from './subscribable';

export function observeAudioLevel(track: MediaStreamTrack): Subscribable<number> {
  return {
    subscribe(run) {
      const AudioCtx = globalThis.AudioContext;
      if (!AudioCtx) {
        run(0);
        return () => undefined;
      }
      const ctx = new AudioCtx();
      const source = ctx.createMediaStreamSource(new MediaStream([track]));
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      const data = new Float32Array(analyser.fftSize);
      let frame = 0;
      let smoothed = 0;
      const tick = (): void => {
        analyser.getFloatTimeDomainData(data);
        let sum = 0;
        for (const v of data) sum += v * v;
        const rms = Math.sqrt(sum / data.length);
        // Speech RMS sits around 0.02-0.2; map it onto 0..1 on a log-ish curve so the meter moves.
        const level = Math.min(1, Math.max(0, (20 * Math.log10(rms + 1e-6) + 60) / 50));
        smoothed = Math.max(level, smoothed * 0.85);
        run(smoothed);
        frame = requestAnimationFrame(tick);
      };
      run(0);
      // A context created before a user gesture starts suspended in some browsers.
      void ctx.resume().catch(() => undefined);
      frame = requestAnimationFrame(tick);
      return () => {
        cancelAnimationFrame(frame);
        source.disconnect();
        void ctx.close().catch(() => undefined);
      };
    },
  };
}
