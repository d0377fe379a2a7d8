/**
 * The voice's own socket to the room server's `/signal` (docs/voice.md
 * VOICE2): subscribes to the room's voice topic and publishes voice messages
 * there. Independent of y-webrtc's signaling, so voice keeps working whatever
 * carries the room document. Reconnects with a growing delay until closed.
 *
 * @example
 *   const signaling = new VoiceSignaling({ url, topic, onOpen: () => sayHello(), onFrame: (text) => read(text) });
 *   signaling.send(writeVoiceFrame(topic, message));
 *   signaling.close();
 */

/** First and longest wait before connecting again after the socket closed. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

export interface VoiceSignalingOptions {
  url: string;
  topic: string;
  /** The socket is open and subscribed (again): say hello. */
  onOpen(): void;
  onFrame(text: unknown): void;
  WebSocketImpl?: typeof WebSocket;
}

export class VoiceSignaling {
  private socket: WebSocket | undefined;
  private closed = false;
  private delay = RECONNECT_MIN_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Frames not sent because the socket was not open (reported in the inspection). */
  dropped = 0;

  constructor(private readonly options: VoiceSignalingOptions) {
    this.connect();
  }

  get open(): boolean {
    return this.socket?.readyState === 1;
  }

  send(frame: string): void {
    if (this.socket?.readyState === 1) this.socket.send(frame);
    else this.dropped++;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  private connect(): void {
    if (this.closed) return;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const socket = new Impl(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = RECONNECT_MIN_MS;
      socket.send(JSON.stringify({ type: 'subscribe', topics: [this.options.topic] }));
      this.options.onOpen();
    };
    socket.onmessage = (event: MessageEvent) => this.options.onFrame(event.data);
    socket.onclose = () => {
      if (this.socket !== socket || this.closed) return;
      this.socket = undefined;
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
    };
  }
}
