/**
 * How late a signal arrives, from two recordings on one clock: the lag at
 * which the envelope heard best matches the envelope sent (normalized cross-
 * correlation over 1 ms bins, refined between bins by a parabola through the
 * peak). The voice benchmark records a click track at A's microphone and at
 * B's output (`voice.mouth_to_ear_ms`).
 *
 * @example
 *   const { lagMs, score } = envelopeDelay(sentAtA, heardAtB, 1_000);
 */

/** Loudness in 1 ms bins: `values[k]` covers [startMs + k, startMs + k + 1) on the shared clock. */
export interface Envelope {
  startMs: number;
  values: number[];
}

/** The best lag (ms, 0..maxLagMs) of `heard` behind `sent`, and how well it matches there (-1..1). */
export function envelopeDelay(
  sent: Envelope,
  heard: Envelope,
  maxLagMs: number,
): { lagMs: number; score: number } | undefined {
  const shift = Math.round(sent.startMs - heard.startMs);
  const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const a = sent.values.map((v) => v - meanOf(sent.values));
  const heardMean = meanOf(heard.values);
  const b = heard.values.map((v) => v - heardMean);
  const scores: number[] = [];
  for (let lag = 0; lag <= maxLagMs; lag++) {
    let dot = 0;
    let aa = 0;
    let bb = 0;
    for (let k = 0; k < a.length; k++) {
      const j = k + lag + shift;
      if (j < 0 || j >= b.length) continue;
      const x = a[k] as number;
      const y = b[j] as number;
      dot += x * y;
      aa += x * x;
      bb += y * y;
    }
    scores.push(aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0);
  }
  let best = -1;
  for (let lag = 0; lag < scores.length; lag++)
    if (best < 0 || (scores[lag] as number) > (scores[best] as number)) best = lag;
  if (best < 0) return undefined;
  const left = scores[best - 1];
  const right = scores[best + 1];
  const peak = scores[best] as number;
  let refined = best;
  if (left !== undefined && right !== undefined) {
    const curve = left - 2 * peak + right;
    if (curve < 0) refined = best + (0.5 * (left - right)) / curve;
  }
  return { lagMs: refined, score: peak };
}
