/**
 * The physics benchmarks' scene: `count` 0.3 m boxes in layers of 5 x 5, each
 * layer turned a little and lifted 0.3 m off what is below, so the whole pile
 * collapses and every body is awake for the first seconds.
 */
export function pileScript(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / 25);
    const x = ((i % 25) % 5) * 0.32 - 0.64;
    const z = Math.floor((i % 25) / 5) * 0.32 - 0.64;
    lines.push(
      `object "B${i}" @physics { geometry: "box"; size: 0.3; position: [${x}, ${0.15 + layer * 0.31 + 0.3}, ${z}]; rotation: [0, ${layer * 17}, ${layer * 4}] }`,
    );
  }
  return lines.join('\n');
}
