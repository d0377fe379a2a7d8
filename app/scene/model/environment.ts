/**
 * `environment { ... }` (docs/scene-runtime.md ENV1-ENV5). A script with an
 * environment block replaces the room's default surroundings with its own.
 *
 *   ENV1 `skybox`/`sky`: "none"; "gradient" (with `background_gradient:
 *        [top, bottom]`); a colour; a daylight name ("clear_day",
 *        "procedural_sky", "day") draws the sky shader; "studio"/"showroom",
 *        "space"/"night", "sunset" are gradients. `background_color` gives a
 *        plain colour sky. Unknown names draw the daylight sky with a warning.
 *   ENV2 `ambient_light` (also `ambient`, `ambient_intensity`): intensity 0..5
 *        or a colour; `ambient_color`.
 *   ENV3 `fog`: true, false, a number (below 1: a density, else the far
 *        distance in metres) or `{ color, near, far }`; `fog_color`, `fog_near`,
 *        `fog_far`, `fog_density`.
 *   ENV4 `shadows`: lights cast and objects receive shadows (default true).
 *   ENV5 `floor`/`ground`: false removes the default floor; a colour paints it.
 *   ENV7 `size` (also `room_size`, `floor_size`: the floor's diameter) or
 *        `floor_radius` sizes the room; `scale` (also `player_scale`) is the
 *        size of a person in it (docs/interaction.md LOCO4, LOCO6).
 *   ENV8 `voice_distance_model`, `voice_ref_distance`, `voice_rolloff`,
 *        `voice_max_distance`: how far voices carry (docs/voice.md VOICE8).
 */
import type { JsonValue } from '../../sync/doc/object-state.ts';
import { normalizeKey, type Property, propertyIn } from '../syntax/vocabulary.ts';
import { parseColor } from './color.ts';
import type { Report } from './read-properties.ts';
import type { EnvironmentSpec, Vec3 } from './scene-model.ts';
import { clamp, finiteNumber, readBoolean, readVec3, within } from './vectors.ts';

const DEFAULT_FLOOR_COLOR = '#6f7f73';
const DEFAULT_FLOOR_RADIUS = 30;

export function defaultEnvironment(): EnvironmentSpec {
  return {
    declared: false,
    sky: 'procedural',
    skyColors: ['#7fa7d9', '#dce8f2'],
    ambient: { color: '#ffffff', intensity: 0.4 },
    fog: null,
    shadows: true,
    floor: { color: DEFAULT_FLOOR_COLOR },
    floorRadius: DEFAULT_FLOOR_RADIUS,
    scale: 1,
    gravity: [0, -9.81, 0],
    voice: {},
  };
}

const SKY_GRADIENTS: Readonly<Record<string, [string, string]>> = {
  gradient: ['#5b8fd6', '#dfe9f5'],
  studio: ['#e9edf1', '#9aa4ad'],
  showroom: ['#f2f2f0', '#b8bcc0'],
  neutral: ['#d9dde1', '#9aa1a8'],
  indoor: ['#d9d2c5', '#8d8578'],
  space: ['#02030a', '#10142a'],
  night: ['#050a1c', '#1b2444'],
  stars: ['#02030a', '#10142a'],
  dark: ['#0b0d12', '#1d2129'],
  sunset: ['#2b3a67', '#f49a5b'],
  dusk: ['#1f2a4d', '#c9735a'],
  dawn: ['#6d83b8', '#f6c59a'],
};

const DAYLIGHT = /^(procedural|clear|day|sky|sunny|default|outdoor|daylight|blue)/;

function readSky(env: EnvironmentSpec, value: JsonValue, report: Report): void {
  if (typeof value !== 'string') {
    report('BAD_VALUE', '`skybox` needs a name or a colour.');
    return;
  }
  const name = normalizeKey(value);
  if (name === 'none' || name === 'off' || name === 'false') {
    env.sky = 'none';
    return;
  }
  const color = parseColor(value);
  if (color) {
    env.sky = 'color';
    env.skyColors = [color.hex, color.hex];
    return;
  }
  const word = Object.keys(SKY_GRADIENTS).find((key) => name.startsWith(key));
  if (word) {
    env.sky = 'gradient';
    env.skyColors = [...(SKY_GRADIENTS[word] as [string, string])];
    return;
  }
  env.sky = 'procedural';
  if (!DAYLIGHT.test(name)) report('UNSUPPORTED_PROPERTY', `Sky "${value}" is not known; the daylight sky is drawn.`);
}

function readGradient(value: JsonValue): [string, string] | undefined {
  let top: JsonValue | undefined;
  let bottom: JsonValue | undefined;
  if (Array.isArray(value) && value.length >= 2) [top, bottom] = [value[0], value[value.length - 1]];
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    top = value.top ?? value.from ?? value.start;
    bottom = value.bottom ?? value.to ?? value.end;
  }
  const a = parseColor(top);
  const b = parseColor(bottom);
  return a && b ? [a.hex, b.hex] : undefined;
}

function readFog(env: EnvironmentSpec, property: Property, key: string, value: JsonValue, report: Report): void {
  const fog = env.fog ?? { color: env.skyColors[1], near: 10, far: 60 };
  const n = finiteNumber(value);
  switch (property.name) {
    case 'fog': {
      const b = readBoolean(value);
      if (b !== undefined) {
        env.fog = b ? fog : null;
      } else if (n !== undefined && n > 0) {
        env.fog = n < 1 ? { ...fog, near: 1, far: clamp(3 / n, 2, 5000) } : { ...fog, far: clamp(n, 2, 5000) };
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        env.fog = fog;
        for (const [inner, innerValue] of Object.entries(value)) {
          const innerProperty = propertyIn(['environment'], `fog_${inner}`);
          if (innerProperty?.name.startsWith('fog_')) readFog(env, innerProperty, inner, innerValue, report);
          else report('UNSUPPORTED_PROPERTY', `\`fog.${inner}\` is not a fog setting.`);
        }
      } else report('BAD_VALUE', '`fog` needs true/false, a number or { color, near, far }.');
      return;
    }
    case 'fog_color': {
      const color = parseColor(value);
      if (color) env.fog = { ...fog, color: color.hex };
      else report('BAD_VALUE', '`fog_color` needs a colour.');
      return;
    }
    case 'fog_near':
    case 'fog_far':
    case 'fog_density':
      if (n === undefined || n < 0) {
        report('BAD_VALUE', `\`${key}\` needs a positive number.`);
        return;
      }
      if (property.name === 'fog_near') env.fog = { ...fog, near: within(property, n) };
      else if (property.name === 'fog_far') env.fog = { ...fog, far: within(property, n) };
      else if (n > 0) env.fog = { ...fog, near: 1, far: clamp(3 / n, 2, 5000) };
      return;
  }
}

/** Reads one environment property. */
export function readEnvironmentProperty(env: EnvironmentSpec, rawKey: string, value: JsonValue, report: Report): void {
  env.declared = true;
  const property = propertyIn(['environment'], rawKey);
  switch (property?.name) {
    case 'skybox':
      readSky(env, value, report);
      return;
    case 'background_color': {
      const color = parseColor(value);
      if (!color) {
        report('BAD_VALUE', `\`${rawKey}\` needs a colour.`);
        return;
      }
      // A gradient named before keeps its shape; the colour becomes its top.
      if (env.sky === 'gradient') env.skyColors = [color.hex, env.skyColors[1]];
      else {
        env.sky = 'color';
        env.skyColors = [color.hex, color.hex];
      }
      return;
    }
    case 'background_gradient': {
      const gradient = readGradient(value);
      if (gradient) {
        env.sky = 'gradient';
        env.skyColors = gradient;
      } else report('BAD_VALUE', `\`${rawKey}\` needs [top, bottom] colours.`);
      return;
    }
    case 'ambient_light': {
      const n = finiteNumber(value);
      const color = parseColor(value);
      if (n !== undefined) env.ambient = { ...env.ambient, intensity: within(property, n) };
      else if (color) env.ambient = { ...env.ambient, color: color.hex };
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const intensity = finiteNumber(value.intensity);
        const c = parseColor(value.color);
        env.ambient = {
          color: c?.hex ?? env.ambient.color,
          intensity: within(property, intensity ?? env.ambient.intensity),
        };
      } else report('BAD_VALUE', `\`${rawKey}\` needs a number or a colour.`);
      return;
    }
    case 'ambient_color': {
      const color = parseColor(value);
      if (color) env.ambient = { ...env.ambient, color: color.hex };
      else report('BAD_VALUE', '`ambient_color` needs a colour.');
      return;
    }
    case 'shadows': {
      const b = readBoolean(value);
      if (b === undefined) report('BAD_VALUE', '`shadows` needs true or false.');
      else env.shadows = b;
      return;
    }
    case 'floor': {
      const b = readBoolean(value);
      const color = parseColor(value);
      if (b !== undefined) env.floor = b ? (env.floor ?? { color: DEFAULT_FLOOR_COLOR }) : null;
      else if (color) env.floor = { color: color.hex };
      else report('BAD_VALUE', `\`${rawKey}\` needs true, false or a colour.`);
      return;
    }
    case 'floor_color': {
      const color = parseColor(value);
      if (color) env.floor = { color: color.hex };
      else report('BAD_VALUE', `\`${rawKey}\` needs a colour.`);
      return;
    }
    case 'size':
    case 'floor_radius': {
      // A diameter (or [width, depth]: the disc covers both); `floor_radius` is a radius.
      const sizes = Array.isArray(value) ? value.map(finiteNumber) : [finiteNumber(value)];
      const largest = Math.max(...sizes.map((n) => n ?? Number.NaN));
      if (!Number.isFinite(largest) || largest <= 0) report('BAD_VALUE', `\`${rawKey}\` needs a size in metres.`);
      else env.floorRadius = clamp(property.name === 'floor_radius' ? largest : largest / 2, 1, 1000);
      return;
    }
    case 'scale': {
      const n = finiteNumber(value);
      if (n === undefined || n <= 0) report('BAD_VALUE', `\`${rawKey}\` needs a positive number.`);
      else env.scale = within(property, n);
      return;
    }
    case 'gravity': {
      // A number is how hard things fall (its sign does not matter); a vector is the acceleration itself.
      const n = finiteNumber(value);
      const v = n === undefined ? readVec3(value, false) : ([0, -Math.min(Math.abs(n), 100), 0] as Vec3);
      if (v?.every((c) => Math.abs(c) <= 100)) env.gravity = v;
      else report('BAD_VALUE', `\`${rawKey}\` needs a number or [x, y, z] within ±100 m/s².`);
      return;
    }
    case 'voice_distance_model': {
      const model = typeof value === 'string' ? normalizeKey(value) : '';
      if (model === 'inverse' || model === 'linear' || model === 'exponential') {
        env.voice = { ...env.voice, distanceModel: model };
      } else report('BAD_VALUE', `\`${rawKey}\` needs "inverse", "linear" or "exponential".`);
      return;
    }
    case 'voice_ref_distance':
    case 'voice_rolloff':
    case 'voice_max_distance': {
      const n = finiteNumber(value);
      if (n === undefined || n < 0) {
        report('BAD_VALUE', `\`${rawKey}\` needs a positive number.`);
        return;
      }
      const key =
        property.name === 'voice_ref_distance'
          ? 'refDistance'
          : property.name === 'voice_rolloff'
            ? 'rolloffFactor'
            : 'maxDistance';
      env.voice = { ...env.voice, [key]: within(property, n) };
      return;
    }
    case 'fog':
    case 'fog_color':
    case 'fog_near':
    case 'fog_far':
    case 'fog_density':
      readFog(env, property, rawKey, value, report);
      return;
    default:
      report('UNSUPPORTED_PROPERTY', `\`${rawKey}\` is not an environment setting Holoroom uses.`);
  }
}
