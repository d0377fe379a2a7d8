/**
 * The y-webrtc room name (the signaling topic) of a room; prefixed so other
 * apps on a shared signaling server never collide. The server reads it back
 * to know which room a signaling socket is in (docs/roles.md MOD5).
 */
const TOPIC_PREFIX = 'holoroom:';

export function webrtcTopic(roomId: string): string {
  return `${TOPIC_PREFIX}${roomId}`;
}

/** The room id a topic names; undefined for a topic of another shape. */
export function roomOfTopic(topic: string): string | undefined {
  return topic.startsWith(TOPIC_PREFIX) ? topic.slice(TOPIC_PREFIX.length) : undefined;
}
