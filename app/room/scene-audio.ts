/**
 * `play_audio "click.wav"` (CMD5): sounds play for the person whose action
 * ran the handler, from this site only (like models, MODEL1). A bare name is
 * looked up in /scenes/sounds/; a path starting with `/` is used as it is.
 * At most MAX_PLAYING sounds at once; a missing file is logged once.
 */

const MAX_PLAYING = 4;
const SOUNDS_BASE = 'http://holoroom.invalid/scenes/sounds/';
const AUDIO_EXTENSIONS = /\.(ogg|oga|opus|mp3|wav|m4a|webm)$/i;

/** The same-origin path of a sound, or undefined when it is not one. */
function soundPath(name: string): string | undefined {
  const text = name.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (text === '' || /[\u0000-\u001f\u007f\\]/.test(text)) return undefined;
  if (text.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(text)) return undefined;
  const resolved = new URL(text, SOUNDS_BASE);
  if (resolved.origin !== new URL(SOUNDS_BASE).origin || !AUDIO_EXTENSIONS.test(resolved.pathname)) return undefined;
  return resolved.pathname;
}

let playing = 0;
const reported = new Set<string>();

function reportOnce(key: string, message: string): void {
  if (reported.has(key)) return;
  reported.add(key);
  console.warn(`holoroom scene: ${message}`);
}

export function playSceneSound(name: string): void {
  const path = soundPath(name);
  if (!path) {
    reportOnce(name, `"${name}" is not a sound file on this site (.ogg, .mp3, .wav, ...)`);
    return;
  }
  if (playing >= MAX_PLAYING || typeof Audio === 'undefined') return;
  const audio = new Audio(path);
  playing++;
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    playing--;
    audio.removeEventListener('ended', done);
    audio.removeEventListener('error', failed);
  };
  const failed = () => {
    reportOnce(path, `the sound ${path} could not be played`);
    done();
  };
  audio.addEventListener('ended', done);
  audio.addEventListener('error', failed);
  // Autoplay rules or a missing file ('error' reports the latter): either way this sound is over.
  audio.play().catch(done);
}
