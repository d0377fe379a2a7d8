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

/**
 * Why the config could not be used: `unreachable` (no answer: offline, server
 * down) or `invalid` (an answer that is not a usable config). `detail` is the
 * technical reason, for the console; people see `configNotice()` instead.
 */
export interface ConfigProblem {
  kind: 'unreachable' | 'invalid';
  detail: string;
}

/** Fetches and validates `/config.json`; returns the default, and the problem, on any failure. Never throws. */
export async function loadClientConfig(
  fetchFn: typeof fetch = fetch,
  url = '/config.json',
): Promise<{ config: ClientConfig; problem?: ConfigProblem }> {
  const invalid = (detail: string) => ({
    config: DEFAULT_CLIENT_CONFIG,
    problem: { kind: 'invalid' as const, detail },
  });
  let response: Response;
  try {
    response = await fetchFn(url, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS), cache: 'no-store' });
  } catch (error) {
    return {
      config: DEFAULT_CLIENT_CONFIG,
      problem: { kind: 'unreachable', detail: `config.json unavailable: ${(error as Error).message}` },
    };
  }
  if (!response.ok) return invalid(`config.json: HTTP ${response.status}`);
  try {
    const parsed = parseClientConfig(await response.json());
    return parsed.ok ? { config: parsed.config } : invalid(parsed.error);
  } catch (error) {
    return invalid(`config.json is not JSON: ${(error as Error).message}`);
  }
}

/**
 * PWA11: what the person is told about a config problem, in words, never the
 * raw error. An unreachable server needs no words of its own: the room's
 * offline notice says it (PWA8), and direct connections are tried anyway.
 */
export function configNotice(problem: ConfigProblem | undefined): string | undefined {
  if (problem?.kind !== 'invalid') return undefined;
  return "This server's connection settings could not be read, so only direct connections are tried: people on other networks may not be able to join.";
}

/** The signaling WebSocket URL of the server that served `location`. */
export function signalingUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
}
