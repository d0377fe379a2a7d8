// The built parser, fingerprinted by Vite so it can be cached immutably.
// `npm run build` (or npm start/test) produces it before the app is bundled.
import wasmUrl from '../../../build/wasm/holoroom_parser.wasm?url';

export const PARSER_WASM_URL: string = wasmUrl;
