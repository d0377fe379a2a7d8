/**
 * The client's runtime configuration, fetched from the server's `/config.json`.
 * Offline (or if the server is old) the client falls back to no ICE servers,
 * which still connects peers on the same network.
 */
export interface ClientConfig {
  iceServers: RTCIceServer[];
}

export const DEFAULT_CLIENT_CONFIG: ClientConfig = { iceServers: [] };
const CONFIG_TIMEOUT_MS = 4_000;
const ICE_URL = /^(stun|stuns|turn|turns):\S+$/;

export type ConfigResult = { ok: true; config: ClientConfig } | { ok: false; error: string };

function iceServer(value: unknown): RTCIceServer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { urls, username, credential } = value as Record<string, unknown>;
  const list = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  if (!list.every((url) => typeof url === 'string' && ICE_URL.test(url))) return undefined;
  const server: RTCIceServer = { urls: list as string[] };
  if (typeof username === 'string') server.username = username;
  if (typeof credential === 'string') server.credential = credential;
  return server;
}

/** Validates a `/config.json` body; never throws. */
export function parseClientConfig(value: unknown): ConfigResult {
  if (typeof value !== 'object' || value === null) return { ok: false, error: 'config is not an object' };
  const { iceServers } = value as Record<string, unknown>;
  if (!Array.isArray(iceServers)) return { ok: false, error: 'config.iceServers is not an array' };
  const servers: RTCIceServer[] = [];
  for (const entry of iceServers) {
    const server = iceServer(entry);
    if (!server) return { ok: false, error: 'config.iceServers has an invalid entry' };
    servers.push(server);
  }
  return { ok: true, config: { iceServers: servers } };
}

/** Fetches and validates `/config.json`; returns the default on any failure. */
export async function loadClientConfig(
  fetchFn: typeof fetch = fetch,
  url = '/config.json',
): Promise<{ config: ClientConfig; warning?: string }> {
  try {
    const response = await fetchFn(url, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS), cache: 'no-store' });
    if (!response.ok) return { config: DEFAULT_CLIENT_CONFIG, warning: `config.json: HTTP ${response.status}` };
    const parsed = parseClientConfig(await response.json());
    return parsed.ok ? { config: parsed.config } : { config: DEFAULT_CLIENT_CONFIG, warning: parsed.error };
  } catch (error) {
    return { config: DEFAULT_CLIENT_CONFIG, warning: `config.json unavailable: ${(error as Error).message}` };
  }
}

/** The signaling WebSocket URL of the server that served `location`. */
export function signalingUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
}
