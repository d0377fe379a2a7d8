/**
 * A room's name (docs/ui.md, NAME1-NAME2): chosen by anyone in the room,
 * stored in the room document, shown in the title bar, the page title, the
 * share text and this device's list of visited rooms. It comes from peers, so
 * it is cleaned wherever it is read.
 *
 * @example
 *   cleanRoomName('  Team\u0000 standup \n') // 'Team standup'
 *   invitation('Team standup', 'https://host/r/abc').title // 'Join "Team standup" in Holoroom'
 */

/** NAME1: the longest room name, in characters (code points). */
export const ROOM_NAME_MAX_CHARS = 60;

/** Removes control characters, collapses whitespace, trims and caps the length; empty stays empty. */
export function cleanRoomName(value: unknown): string {
  if (typeof value !== 'string') return '';
  // A hostile peer's name may be megabytes: look at no more than a generous prefix.
  const prefix = value.slice(0, ROOM_NAME_MAX_CHARS * 8);
  const visible = [...prefix]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029 ? ' ' : ch;
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return [...visible].slice(0, ROOM_NAME_MAX_CHARS).join('').trim();
}

/** What the person sees of a room: its name, or a neutral fallback. */
export function roomTitle(name: string): string {
  return name === '' ? 'Untitled room' : name;
}

/** NAME2: the share sheet's title and text for a room's link. */
export function invitation(name: string, url: string): { title: string; text: string; url: string } {
  return name === ''
    ? { title: 'Join my Holoroom', text: 'Join my room in Holoroom', url }
    : { title: `Join "${name}" in Holoroom`, text: `Join "${name}" in Holoroom`, url };
}
