import { useEffect, useState } from 'react';
import { useStore } from '../render/use-store.ts';
import type { SceneRuntime, SceneView } from '../scene/runtime/scene-runtime.ts';
import { SCRIPT_MAX_CHARS } from '../sync/doc/limits.ts';
import './scene-ui.css';

/** How long a stopped handler's message stays. */
const HANDLER_PROBLEM_MS = 8_000;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function useRecentHandlerProblem(view: SceneView): SceneView['lastHandlerProblem'] {
  const problem = view.lastHandlerProblem;
  const [visible, setVisible] = useState(problem);
  useEffect(() => {
    setVisible(problem);
    if (!problem) return;
    const timer = setTimeout(() => setVisible(undefined), HANDLER_PROBLEM_MS);
    return () => clearTimeout(timer);
  }, [problem]);
  return visible;
}

/**
 * What the room's scene is doing: its title and size, parse errors with the
 * first one's place (RUN2: the last good scene stays), limits the script ran
 * into (LIMIT1-LIMIT7), models that did not load, and handlers that stopped.
 */
export function SceneStatus({ runtime }: { runtime: SceneRuntime }) {
  const view = useStore(runtime.view);
  const handlerProblem = useRecentHandlerProblem(view);
  const { model } = view;
  const alerts: { key: string; text: string }[] = [];
  if (view.errors > 0) {
    const where = view.firstError
      ? ` Line ${view.firstError.line}, column ${view.firstError.column}: ${view.firstError.message}`
      : '';
    alerts.push({
      key: 'errors',
      text: `${plural(view.errors, 'error')} in the script; ${model ? 'showing the last good scene' : 'nothing to show yet'}.${where}`,
    });
  }
  if (view.overSizeLimit) {
    alerts.push({
      key: 'size',
      text: `The script is over ${SCRIPT_MAX_CHARS.toLocaleString('en')} characters; showing the last good scene.`,
    });
  }
  for (const notice of view.limits) alerts.push({ key: notice.rule, text: `${notice.message} (${notice.rule})` });
  for (const [id, message] of view.renderProblems) alerts.push({ key: `render:${id}`, text: message });
  if (handlerProblem) {
    alerts.push({
      key: 'handler',
      text: `${handlerProblem.objectId}: the ${handlerProblem.event} handler stopped: ${handlerProblem.error.message}.`,
    });
  }
  const unsupported = model?.unsupported ?? [];
  return (
    <section
      className="scene-status"
      aria-label="Scene status"
      data-testid="scene-status"
      data-errors={view.errors}
      data-stale={view.stale}
      data-builds={view.builds}
      data-nodes={model?.byId.size ?? 0}
    >
      <div className="scene-status-title">
        {model && model.byId.size === 0 && view.errors === 0 ? (
          <span className="hint" data-testid="scene-title">
            Empty scene: write one in Edit scene, or pick one in Scenes
          </span>
        ) : view.phase === 'ready' || model ? (
          <>
            <strong data-testid="scene-title">{model?.title ?? 'Untitled scene'}</strong>
            {model && <span className="hint"> · {plural(model.byId.size, 'object')}</span>}
            {view.stale && <span className="scene-stale"> · not up to date</span>}
          </>
        ) : (
          <span className="hint">Loading the scene…</span>
        )}
      </div>
      {alerts.length > 0 && (
        <div className="scene-alerts">
          {alerts.map((alert) => (
            <p key={alert.key} role="alert" data-alert={alert.key}>
              {alert.text}
            </p>
          ))}
        </div>
      )}
      {unsupported.length > 0 && (
        <p className="hint scene-unsupported" title={unsupported.join(', ')}>
          Not supported here (ignored): {unsupported.slice(0, 6).join(', ')}
          {unsupported.length > 6 ? `, +${unsupported.length - 6} more` : ''}
        </p>
      )}
    </section>
  );
}
