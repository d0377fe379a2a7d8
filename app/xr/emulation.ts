/**
 * XR emulation for automated browser tests. Chromium always exposes
 * `navigator.xr` without a device, so tests load the page with
 * `?xr-emulate=quest3` and this module installs IWER's emulated Meta Quest 3
 * runtime before the XR store is created. The emulator is a separate chunk
 * that normal visits never download.
 */
const EMULATION_PARAM = 'xr-emulate';

export function wantsEmulation(search: string): boolean {
  return new URLSearchParams(search).get(EMULATION_PARAM) === 'quest3';
}

export async function installXREmulation(): Promise<void> {
  const { XRDevice, metaQuest3 } = await import('iwer');
  const device = new XRDevice(metaQuest3);
  device.installRuntime({ forceInstall: true });
  // Expose the device so tests can move the emulated head and controllers.
  (globalThis as { __holoroomXRDevice?: unknown }).__holoroomXRDevice = device;
}
