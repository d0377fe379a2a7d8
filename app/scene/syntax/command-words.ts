/**
 * The scene language's commands (CMD1-CMD12), part of its vocabulary
 * (vocabulary.ts): the interpreter and the editor's highlighting read a
 * command's spelling here, the docs its usage. Apart from the rest of the
 * vocabulary because a room reads none of it before it runs a handler
 * (docs/performance.md LOAD25).
 *
 * @example
 *   commandOf('play')?.name; // 'play_audio' (CMD5)
 */

export interface CommandWord {
  name: string;
  aliases: readonly string[];
  /** How it is written, for docs and completion. */
  usage: string;
  rule: string;
  /** Also callable as a method of an object (`this.playSound("x")`, INT7). */
  method?: boolean;
}

export const COMMANDS: readonly CommandWord[] = [
  { name: 'set', aliases: [], usage: 'set target value', rule: 'CMD1' },
  { name: 'increment', aliases: ['inc'], usage: 'increment target [by] [n]', rule: 'CMD2' },
  { name: 'decrement', aliases: ['dec'], usage: 'decrement target [by] [n]', rule: 'CMD3' },
  { name: 'toggle', aliases: [], usage: 'toggle target', rule: 'CMD4' },
  {
    name: 'play_audio',
    aliases: ['play_sound', 'playSound', 'playAudio', 'play', 'sound'],
    usage: 'play_audio "file"',
    rule: 'CMD5',
    method: true,
  },
  { name: 'spawn', aliases: [], usage: 'spawn "Name" [at [x, y, z]]', rule: 'CMD6' },
  { name: 'destroy', aliases: ['despawn', 'remove'], usage: 'destroy [name]', rule: 'CMD7' },
  { name: 'hide', aliases: [], usage: 'hide [name]', rule: 'CMD7' },
  { name: 'show', aliases: [], usage: 'show [name]', rule: 'CMD7' },
  { name: 'reset', aliases: [], usage: 'reset [name]', rule: 'CMD8' },
  { name: 'move', aliases: [], usage: 'move x 1` / `move [dx, dy, dz]', rule: 'CMD9' },
  { name: 'rotate', aliases: [], usage: 'rotate y 45', rule: 'CMD9' },
  { name: 'log', aliases: ['print', 'say'], usage: 'log values…', rule: 'CMD10' },
  { name: 'toggle_trait', aliases: [], usage: 'toggle_trait "glowing" [name]', rule: 'CMD11' },
  { name: 'enable_trait', aliases: [], usage: 'enable_trait', rule: 'CMD11' },
  { name: 'disable_trait', aliases: [], usage: 'disable_trait', rule: 'CMD11' },
];

/** The command a written name means (exact spelling), or undefined (CMD12). */
export function commandOf(name: string): CommandWord | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases.includes(name));
}
