import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorSelection, EditorState, type Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { cspNonce } from '../../app/csp-nonce';

/** A problem placed in the text: 1-based line and column, as the server and the yaml parser report them. */
export interface PlacedProblem {
  line: number;
  column: number;
  message: string;
}

/** A line to show: `seq` makes the same line shown again; `nearest` scrolls no further than needed (a change), else to the top (a rule picked). */
export interface FocusLine {
  line: number;
  seq: number;
  nearest?: boolean;
}

/** Where a line/column is in the document, kept inside it (the text may have changed since). */
function offsetOf(doc: Text, line: number, column: number): { from: number; to: number } {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  const from = Math.min(l.from + Math.max(0, column - 1), l.to);
  return from < l.to ? { from, to: l.to } : { from: l.from, to: l.to };
}

const toDiagnostics = (doc: Text, problems: PlacedProblem[]): Diagnostic[] =>
  problems.map((p) => ({ ...offsetOf(doc, p.line, p.column), severity: 'error', message: p.message, source: 'Tingjian' }));

/** Read-only: no changes, and not editable content (no caret, contenteditable=false). */
const lockedIf = (readOnly: boolean) => [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];

/** Enter keeps the line's indentation, Tab indents by two spaces: what YAML needs (before the default keymap, which would move focus on Tab). */
const yamlKeys = keymap.of([
  {
    key: 'Enter',
    run: (view) => {
      const { state } = view;
      const indent = /^\s*/.exec(state.doc.lineAt(state.selection.main.head).text)![0];
      view.dispatch(state.replaceSelection(`\n${indent}`), { scrollIntoView: true, userEvent: 'input' });
      return true;
    },
  },
  {
    key: 'Tab',
    run: (view) => {
      view.dispatch(view.state.replaceSelection('  '), { userEvent: 'input' });
      return true;
    },
  },
]);

/**
 * CodeMirror 6 over one YAML text, controlled: `value` in, `onChange` out. The server's problems
 * are lint diagnostics at their line and column; `focusLine` scrolls to a line (a rule) and
 * selects it. The CSP forbids <style> without the page's nonce: CodeMirror gets it.
 */
export function YamlEditor(props: {
  value: string;
  onChange: (text: string) => void;
  problems: PlacedProblem[];
  readOnly: boolean;
  focusLine: FocusLine | null;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const readOnly = useRef(new Compartment());

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          EditorView.cspNonce.of(cspNonce()),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          drawSelection(),
          lintGutter(),
          yaml(),
          indentUnit.of('  '),
          syntaxHighlighting(defaultHighlightStyle),
          yamlKeys,
          history(),
          keymap.of([...historyKeymap, ...defaultKeymap]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          readOnly.current.of(lockedIf(props.readOnly)),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && u.transactions.some((tr) => tr.isUserEvent('input') || tr.isUserEvent('delete') || tr.isUserEvent('move') || tr.isUserEvent('undo') || tr.isUserEvent('redo'))) onChange.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once; value, problems and readOnly follow through the effects below.
  }, []);

  // A new text from outside (the form, another module): replace only what differs, so the cursor stays.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const old = v.state.doc.toString();
    if (old === props.value) return;
    let start = 0;
    while (start < old.length && start < props.value.length && old[start] === props.value[start]) start++;
    let endOld = old.length;
    let endNew = props.value.length;
    while (endOld > start && endNew > start && old[endOld - 1] === props.value[endNew - 1]) {
      endOld--;
      endNew--;
    }
    v.dispatch({ changes: { from: start, to: endOld, insert: props.value.slice(start, endNew) } });
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state.doc, props.problems)));
  }, [props.problems, props.value]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnly.current.reconfigure(lockedIf(props.readOnly)) });
  }, [props.readOnly]);

  useEffect(() => {
    const v = view.current;
    if (!v || !props.focusLine) return;
    const line = v.state.doc.line(Math.min(Math.max(1, props.focusLine.line), v.state.doc.lines));
    v.dispatch({ selection: EditorSelection.cursor(line.from), effects: EditorView.scrollIntoView(line.from, { y: props.focusLine.nearest ? 'nearest' : 'start', yMargin: 24 }) });
  }, [props.focusLine]);

  return <div ref={host} className="tj-yaml-editor" data-testid="yaml-editor" />;
}
