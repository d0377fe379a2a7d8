/**
 * CAP1 on edit: a local edit that would make the script longer than the cap is
 * refused (and reported); edits that shrink it always pass, so an over-cap
 * script received from peers can be brought back under. Remote changes from
 * the Yjs binding are never filtered: they are already in the shared document.
 */
import { EditorState, type Extension } from '@codemirror/state';
import { ySyncAnnotation } from 'y-codemirror.next';
import { SCRIPT_MAX_CHARS } from '../sync/doc/limits.ts';

export function scriptSizeLimit(onRefused: (message: string) => void, maxChars = SCRIPT_MAX_CHARS): Extension {
  return EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || tr.annotation(ySyncAnnotation) !== undefined) return tr;
    const after = tr.newDoc.length;
    if (after <= maxChars || after <= tr.startState.doc.length) return tr;
    onRefused(
      `The script can be at most ${maxChars.toLocaleString('en')} characters; this edit would make it ${after.toLocaleString('en')}.`,
    );
    return [];
  });
}
