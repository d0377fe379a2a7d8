// One source of truth for the tree's vocabulary: the parser exports its own
// tables (holo_schema); the TypeScript side must match them exactly, or the
// binary decoder would read one kind as another.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParserModuleForNode } from '../../../tools/node-parser.ts';
import { MAX_INPUT_BYTES, type ParserSchema } from '../parser/wasm-module.ts';
import {
  ASSIGN_OPS,
  BINARY_OPS,
  BLOCK_KEYWORDS,
  HANDLER_FORMS,
  NODE_KINDS,
  RESULT_FORMAT_VERSION,
  SEVERITIES,
  UNARY_OPS,
} from './ast.ts';

let schema: ParserSchema;

beforeAll(async () => {
  schema = (await loadParserModuleForNode()).schema();
});

describe('the TypeScript tree types agree with the parser', () => {
  it('node kinds, in code order', () => {
    expect([...NODE_KINDS]).toEqual(schema.nodeKinds);
  });

  it('operators, handler forms and severities, in code order', () => {
    expect([...BINARY_OPS]).toEqual(schema.binaryOps);
    expect([...UNARY_OPS]).toEqual(schema.unaryOps);
    expect([...ASSIGN_OPS]).toEqual(schema.assignOps);
    expect([...HANDLER_FORMS]).toEqual(schema.handlerForms);
    expect([...SEVERITIES]).toEqual(schema.severities);
  });

  it('[LANG1] block keywords and the kinds they make', () => {
    expect(BLOCK_KEYWORDS).toEqual(schema.blockKeywords);
  });

  it('[LIM1] result format version and input limit', () => {
    expect(RESULT_FORMAT_VERSION).toBe(schema.formatVersion);
    expect(MAX_INPUT_BYTES).toBe(schema.maxInputBytes);
  });
});
