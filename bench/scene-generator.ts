/**
 * A realistic scene script of exactly `lines` lines for the parser benchmark,
 * mixing every construct people write (see docs/scene-language.md): imports,
 * comments, a composition with environment, lights and unknown domain blocks,
 * templates with header and body traits, objects (also `orb`/`entity`) using
 * templates, nested spatial groups, state blocks, material object literals,
 * bare and quoted colours, arithmetic, the three handler syntaxes with
 * assignments, calls, if/else and commands, and all three separators.
 * Deterministic: the same arguments always give the same text.
 */

/** A small seeded generator (mulberry32): reproducible benchmark inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateScene(lines = 1000, seed = 1): string {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const num = (scale = 10) => Math.round((rand() * 2 - 1) * scale * 100) / 100;
  const vec = () => `[${num()}, ${Math.abs(num(3))}, ${num()}]`;
  const hex = () =>
    Math.floor(rand() * 0xffffff)
      .toString(16)
      .padStart(6, '0');
  const geometry = ['box', 'sphere', 'cylinder', 'cone', 'torus', 'plane', 'capsule'];
  const traits = ['@grabbable', '@clickable', '@hoverable', '@collidable', '@networked', '@glowing(intensity: 0.6)'];

  const head = [
    '// Generated benchmark scene: every construct of the scene language.',
    'import "shared/props.holo"',
    '',
    'composition "Benchmark Plaza" {',
    '  environment {',
    '    sky: #87ceeb',
    '    fog: { color: "#ffffff", density: 0.02 }',
    '    ambient_light: 0.4; shadows: true',
    '  }',
    '  light "Sun" { type: "directional", intensity: 1.0, position: [5, 10, 5] }',
    '  point_light "Lamp" { color: #ffcc88; intensity: 0.8; position: [0, 3, 0] }',
    '  post_processing {',
    '    bloom { intensity: 0.3, threshold: 0.8 }',
    '  }',
    '  state { score: 0, round: 1 }',
    '',
  ];
  const templates: string[] = [];
  for (let i = 0; i < 4; i++) {
    templates.push(
      `  template "Kind${i}" @collidable {`,
      `    @animated { kind: "${pick(['spin', 'bob'])}", speed: ${Math.abs(num(2))} }`,
      `    geometry: "${pick(geometry)}"`,
      `    material: { baseColor: "#${hex()}", roughness: ${Math.abs(num(1))}, metallic: 0.2 }`,
      '    onGrab: {',
      '      set grabbed true',
      '      play_audio "grab.ogg"',
      '    }',
      '  }',
    );
  }
  const tail = ['}'];

  const objects: string[] = [];
  let index = 0;
  const budget = lines - head.length - templates.length - tail.length;
  while (objects.length < budget - 40) {
    const name = `Item${index}`;
    const keyword = pick(['object', 'object', 'object', 'orb', 'entity']);
    const using = rand() < 0.5 ? ` using "Kind${index % 4}"` : '';
    const group = index % 10 === 0;
    if (group) objects.push(`  spatial_group "Group${index / 10}" {`, `    position: ${vec()}`);
    const pad = group ? '    ' : '  ';
    objects.push(
      `${pad}${keyword} "${name}"${using} ${pick(traits)} {`,
      `${pad}  ${pick(traits)}`,
      `${pad}  geometry: "${pick(geometry)}"; scale: ${Math.round((Math.abs(num(2)) + 0.1) * 100) / 100}`,
      `${pad}  position: ${vec()}, rotation: [0, ${num(180)}, 0]`,
      `${pad}  color: ${rand() < 0.5 ? `#${hex()}` : `"#${hex()}"`}`,
      `${pad}  height: ${Math.abs(num(2))} * 2 + 0.5`,
      `${pad}  state { clicks: 0; lit: false }`,
    );
    switch (index % 3) {
      case 0:
        objects.push(
          `${pad}  on_click {`,
          `${pad}    state.clicks += 1`,
          `${pad}    if (state.clicks > 3) {`,
          `${pad}      spawn "Kind${index % 4}" at ${vec()}`,
          `${pad}    } else {`,
          `${pad}      set lit !lit`,
          `${pad}    }`,
          `${pad}  }`,
        );
        break;
      case 1:
        objects.push(
          `${pad}  on_hover_enter(event) {`,
          `${pad}    this.scale = event.strength * 1.2`,
          `${pad}    console.log("hover", event.hand)`,
          `${pad}  }`,
        );
        break;
      default:
        objects.push(`${pad}  onRelease: {`, `${pad}    animate "drop" duration 0.3`, `${pad}  }`);
    }
    objects.push(`${pad}}`);
    if (group) objects.push('  }');
    index++;
  }
  while (objects.length < budget) objects.push(`  // filler comment ${objects.length}`);
  return [...head, ...templates, ...objects, ...tail].join('\n');
}
