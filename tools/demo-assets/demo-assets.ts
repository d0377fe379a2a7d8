/**
 * The demo scenes' own binary assets, generated here so their source is in the
 * repository: a lantern model (glTF) and a click sound (WAV). Regenerate with
 * `node_modules/.bin/tsx tools/demo-assets/write-demo-assets.ts`;
 * demo-assets.test.ts fails when the files in public/scenes/ differ.
 */
import { box, type Part, pyramid, writeGlb } from './glb-writer.ts';

export const LANTERN_PATH = 'public/scenes/models/lantern.glb';
export const CLICK_PATH = 'public/scenes/sounds/click.wav';

const IRON: Pick<Part, 'color' | 'metallic' | 'roughness'> = {
  color: [0.12, 0.13, 0.15],
  metallic: 0.8,
  roughness: 0.4,
};

/** A lantern 0.6 m tall standing on its base at the origin. */
export function lanternGlb(): Uint8Array {
  const posts = [-1, 1].flatMap((sx) =>
    [-1, 1].flatMap((sz) => box([sx * 0.12, 0.225, sz * 0.12], [0.03, 0.35, 0.03])),
  );
  return writeGlb(
    [
      { name: 'base', triangles: box([0, 0.025, 0], [0.3, 0.05, 0.3]), ...IRON },
      { name: 'posts', triangles: posts, ...IRON },
      {
        name: 'glass',
        triangles: box([0, 0.225, 0], [0.2, 0.3, 0.2]),
        color: [1, 0.85, 0.55],
        metallic: 0,
        roughness: 0.2,
        emissive: [1, 0.72, 0.3],
      },
      { name: 'roof', triangles: pyramid([0, 0.4, 0], 0.18, 0.15), ...IRON },
      { name: 'handle', triangles: box([0, 0.58, 0], [0.04, 0.06, 0.04]), ...IRON },
    ],
    'holoroom-lantern',
  );
}

/** A 60 ms, 16-bit mono, 22.05 kHz click: a decaying 1.2 kHz tone. */
export function clickWav(): Uint8Array {
  const rate = 22_050;
  const samples = Math.round(rate * 0.06);
  const out = new Uint8Array(44 + samples * 2);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const value = Math.sin(2 * Math.PI * 1200 * t) * Math.exp(-t * 60) * 0.6;
    view.setInt16(44 + i * 2, Math.round(value * 32767), true);
  }
  return out;
}
