#!/usr/bin/env node
// `npm run build`: installs what is missing and builds everything that is stale.
import { prepareOrExit } from './lib/prepare.mjs';

await prepareOrExit();
