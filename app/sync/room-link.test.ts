import { describe, expect, it } from 'vitest';
import { pageSyncOptions, passwordFromHash, passwordHash, readTransportSwitches } from './room-link.ts';

describe('room link switches', () => {
  it('[TRANSPORT1] [TRANSPORT2] turns a transport off only for the exact value "off"', () => {
    expect(readTransportSwitches('')).toEqual({ webrtc: true, server: true });
    expect(readTransportSwitches('?webrtc=off')).toEqual({ webrtc: false, server: true });
    expect(readTransportSwitches('?server-sync=off&x=1')).toEqual({ webrtc: true, server: false });
    expect(readTransportSwitches('?webrtc=0')).toEqual({ webrtc: true, server: true });
  });

  it('[PW1] reads the password from the fragment and round-trips special characters', () => {
    expect(passwordFromHash('')).toBeUndefined();
    expect(passwordFromHash('#other=1')).toBeUndefined();
    const tricky = 'p&ss=w #ord/ü';
    expect(passwordFromHash(passwordHash(tricky))).toBe(tricky);
    expect(passwordFromHash(`#password=${'x'.repeat(300)}`)).toBeUndefined();
  });

  it('[PW1] derives the sync endpoint from the page and never puts the password in it', () => {
    const options = pageSyncOptions({
      protocol: 'https:',
      host: 'h:8443',
      search: '?webrtc=off',
      hash: '#password=s3cret',
    });
    expect(options).toEqual({
      syncServerUrl: 'wss://h:8443',
      transports: { webrtc: false, server: true },
      password: 's3cret',
    });
  });
});
