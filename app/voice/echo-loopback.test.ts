import { describe, expect, it } from 'vitest';
import { echoLoopbackWanted } from './echo-loopback.ts';

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const brands = (...names: string[]) => names.map((brand) => ({ brand, version: '156' }));

describe('echo loopback rule', () => {
  it('[VOICE16] desktop Chromium browsers get the loopback', () => {
    expect(
      echoLoopbackWanted({
        userAgent: CHROME_LINUX,
        userAgentData: { brands: brands('Chromium', 'Google Chrome'), mobile: false },
      }),
    ).toBe(true);
    expect(
      echoLoopbackWanted({
        userAgent: `${CHROME_LINUX} Edg/156.0.0.0`,
        userAgentData: { brands: brands('Chromium', 'Microsoft Edge'), mobile: false },
      }),
    ).toBe(true);
    // Without client hints the user agent string decides.
    expect(echoLoopbackWanted({ userAgent: CHROME_LINUX })).toBe(true);
  });

  it('[VOICE16] phones, headsets, Firefox and Safari do not', () => {
    expect(
      echoLoopbackWanted({
        userAgent: `${CHROME_LINUX} Mobile`,
        userAgentData: { brands: brands('Chromium'), mobile: true },
      }),
    ).toBe(false);
    expect(
      echoLoopbackWanted({
        userAgent:
          'Mozilla/5.0 (X11; Linux x86_64; Quest 3) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/40.0 Chrome/156.0 VR Safari/537.36',
        userAgentData: { brands: brands('Chromium', 'OculusBrowser'), mobile: false },
      }),
    ).toBe(false);
    expect(
      echoLoopbackWanted({
        userAgent:
          'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
      }),
    ).toBe(false);
    expect(
      echoLoopbackWanted({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' }),
    ).toBe(false);
    expect(
      echoLoopbackWanted({
        userAgent:
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
      }),
    ).toBe(false);
  });
});
