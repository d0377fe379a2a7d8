// Writes the demo scenes' generated assets into public/scenes/ (see demo-assets.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLICK_PATH, clickWav, LANTERN_PATH, lanternGlb } from './demo-assets.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const [file, bytes] of [
  [LANTERN_PATH, lanternGlb()],
  [CLICK_PATH, clickWav()],
] as const) {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  console.log(`${file}: ${bytes.length} bytes`);
}
