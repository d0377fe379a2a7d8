/**
 * Why a handler stopped. A fault unwinds the interpreter (thrown inside it,
 * caught by `runHandler` and returned as data): it never reaches the page.
 * The handler's changes are dropped as a whole (INT4).
 */
import type { Span } from '../syntax/ast.ts';

export type FaultCode = 'BUDGET' | 'DEPTH' | 'LIMIT' | 'TYPE' | 'NAME' | 'READONLY' | 'INTERNAL';

export class Fault extends Error {
  override name = 'Fault';
  span: Span | undefined;

  constructor(
    readonly code: FaultCode,
    message: string,
    span?: Span,
  ) {
    super(message);
    this.span = span;
  }
}
