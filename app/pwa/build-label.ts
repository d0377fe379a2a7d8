/**
 * Which build this page runs: `VITE_HOLOROOM_BUILD_LABEL` at build time (a
 * deployment can set a release name or commit), else "dev". The page shows it
 * as `<html data-build>`, which is how support (and the update test) can tell
 * an old tab from a new one.
 */
const label: unknown = import.meta.env.VITE_HOLOROOM_BUILD_LABEL;

export const BUILD_LABEL: string = typeof label === 'string' && /^[\w.+-]{1,64}$/.test(label) ? label : 'dev';
