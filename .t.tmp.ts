import { readFileSync } from 'node:fs';
import { loadParserModuleForNode } from './app/scene/node-loader.ts';
import { printDocument } from './app/scene/printer.ts';
import { withoutSpans } from './app/scene/ast-arbitrary.ts';
const p = await loadParserModuleForNode();
const cases: [string, [number, string, number | string][]][] = [
 ["object \"Café 😀\" {\n  label: \"naïve 🌍\"\n  position: [0, 1, 0]\n}\n", [[587141243,'i','0x1f']]],
 [readFileSync('wasm-parser/tests/data/err/bad-tokens.holo','utf8'), [[0,'i','}'],[1774904147,'d',2],[0,'d',1]]],
 [readFileSync('wasm-parser/tests/data/ok/expressions-js.holo','utf8'), [[869843789,'d',2],[0,'d',1]]],
];
for (const [text, steps] of cases) {
  let out = text;
  for (const [at0, k, v] of steps) { const at = at0 % (out.length + 1); if (k==='i') out = out.slice(0, at) + v + out.slice(at); else if (k==='r') out = out.slice(0, at) + out.slice(at + (v as number)); else out = out.slice(0, at) + out.slice(at, at + (v as number)) + out.slice(at); }
  const r = p.parse(out);
  const printed = printDocument(r.document);
  const again = p.parse(printed);
  const a = JSON.stringify(withoutSpans(r.document)), b = JSON.stringify(withoutSpans(again.document));
  if (a !== b || again.errors) { console.log('INPUT', JSON.stringify(out).slice(0,300)); console.log(again.diagnostics.map(d=>d.code+' '+d.message)); let i=0; while (a[i]===b[i]) i++; console.log(a.slice(i-150,i+150)); console.log(b.slice(i-150,i+150)); }
}
