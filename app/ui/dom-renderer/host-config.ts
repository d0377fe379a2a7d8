/**
 * The DOM renderer's host config: how React's reconciler makes, changes and
 * removes DOM nodes (docs/architecture.md, DOM2-DOM8). Mutation mode, no
 * hydration, HTML elements only; text children are text nodes. The members at
 * the end are the reconciler's newer hooks (view transitions, gestures,
 * fragment refs), which the app does not use: they do what React DOM does in
 * a browser without view transitions.
 */

import {
  ContinuousEventPriority,
  DefaultEventPriority,
  DiscreteEventPriority,
  NoEventPriority,
} from '@react-three/fiber/react-reconciler/constants.js';
import type ReactReconciler from '@react-three/fiber/react-reconciler/index.js';
import { createContext } from 'react';
import { type Props, setInitialProps, updateProps } from './props.ts';

/** Where a root or a portal renders: an element of the page. */
export type Container = Element;
type Instance = HTMLElement;
type TimeoutHandle = ReturnType<typeof setTimeout>;

/** Host context: nothing varies by depth (no SVG or MathML namespaces, DOM2). */
const HOST_CONTEXT = {};

export type DomHostConfig = ReactReconciler.HostConfig<
  string,
  Props,
  Container,
  Instance,
  Text,
  never,
  never,
  HTMLFormElement,
  Instance | Text,
  typeof HOST_CONTEXT,
  never,
  TimeoutHandle,
  -1,
  null
>;

/** Each element's current props, for restoring a controlled field after an event (DOM6). */
export const currentProps = new WeakMap<Element, Props>();

/** Events that are one deliberate act of a person: their updates render at once (DOM4). */
const DISCRETE_EVENTS = new Set([
  'click',
  'input',
  'change',
  'submit',
  'keydown',
  'keyup',
  'focusin',
  'focusout',
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
]);
const CONTINUOUS_EVENTS = new Set(['pointermove', 'mousemove', 'scroll', 'wheel', 'pointerover', 'pointerout']);

function eventPriority(type: string | undefined): number {
  if (type === undefined) return DefaultEventPriority;
  if (DISCRETE_EVENTS.has(type)) return DiscreteEventPriority;
  if (CONTINUOUS_EVENTS.has(type)) return ContinuousEventPriority;
  return DefaultEventPriority;
}

let currentUpdatePriority: number = NoEventPriority;

function createElement(type: string, props: Props, root: Container): Instance {
  if (type === 'svg' || type === 'math') {
    throw new Error(`The DOM renderer makes HTML elements only: <${type}> needs a namespace it does not have (DOM2)`);
  }
  const element = root.ownerDocument.createElement(type);
  setInitialProps(element, props);
  currentProps.set(element, props);
  return element;
}

function appendChild(parent: Element, child: Instance | Text): void {
  parent.appendChild(child);
}

function insertBefore(parent: Element, child: Instance | Text, before: Instance | Text): void {
  parent.insertBefore(child, before);
}

function removeChild(parent: Element, child: Instance | Text): void {
  parent.removeChild(child);
}

/** Members of the reconciler's newer host interface that its type definitions do not list yet. */
const NEWER_MEMBERS = {
  rendererPackageName: 'holoroom-dom-renderer',
  rendererVersion: '1.0.0',
  maySuspendCommitOnUpdate: () => false,
  maySuspendCommitInSyncRender: () => false,
  getSuspendedCommitReason: () => null,
  applyViewTransitionName() {},
  restoreViewTransitionName() {},
  cancelViewTransitionName() {},
  cancelRootViewTransitionName() {},
  restoreRootViewTransitionName() {},
  InstanceMeasurement: null,
  measureInstance: () => null,
  measureClonedInstance: () => null,
  wasInstanceInViewport: () => true,
  hasInstanceChanged: () => false,
  hasInstanceAffectedParent: () => false,
  suspendOnActiveViewTransition() {},
  startViewTransition(
    _state: unknown,
    _root: unknown,
    _types: unknown,
    mutation: () => void,
    layout: () => void,
    _afterMutation: unknown,
    spawnedWork: () => void,
    _passive: unknown,
    _error: unknown,
    _blocked: unknown,
    finished: (() => void) | null,
  ) {
    mutation();
    layout();
    finished?.();
    spawnedWork();
    return null;
  },
  startGestureTransition(
    _state: unknown,
    _root: unknown,
    _timeline: unknown,
    _start: unknown,
    _end: unknown,
    _types: unknown,
    mutation: () => void,
    animate: () => void,
    _error: unknown,
    finished: (() => void) | null,
  ) {
    mutation();
    animate();
    finished?.();
    return null;
  },
  stopViewTransition() {},
  addViewTransitionFinishedListener(_transition: unknown, callback: () => void) {
    callback();
  },
  createViewTransitionInstance: () => null,
  getCurrentGestureOffset(): number {
    throw new Error('The DOM renderer does not support gesture transitions');
  },
  cloneMutableInstance: (instance: Instance) => instance,
  cloneMutableTextInstance: (text: Text) => text,
  cloneRootViewTransitionContainer(): never {
    throw new Error('The DOM renderer does not support view transitions');
  },
  removeRootViewTransitionClone(): never {
    throw new Error('The DOM renderer does not support view transitions');
  },
  createFragmentInstance: () => null,
  updateFragmentInstanceFiber() {},
  commitNewChildToFragmentInstance() {},
  deleteChildFromFragmentInstance() {},
};

export const hostConfig: DomHostConfig = {
  ...NEWER_MEMBERS,
  supportsMutation: true,
  supportsPersistence: false,
  supportsHydration: false,
  // The page's one DOM renderer; R3F's canvas is the secondary one (React's context slots).
  isPrimaryRenderer: true,
  warnsIfNotActing: false,

  createInstance: (type, props, root) => createElement(type, props, root),
  createTextInstance: (text, root) => root.ownerDocument.createTextNode(text),
  appendInitialChild: appendChild,
  // DOM3: autoFocus focuses a new field once it is in the page.
  finalizeInitialChildren: (_instance, _type, props) => props.autoFocus === true,
  commitMount: (instance) => instance.focus(),
  shouldSetTextContent: () => false,
  getRootHostContext: () => HOST_CONTEXT,
  getChildHostContext: () => HOST_CONTEXT,
  getPublicInstance: (instance) => instance,
  prepareForCommit: () => null,
  resetAfterCommit() {},
  preparePortalMount() {},

  appendChild,
  appendChildToContainer: appendChild,
  insertBefore,
  insertInContainerBefore: insertBefore,
  removeChild,
  removeChildFromContainer: removeChild,
  commitTextUpdate(text, _old, next) {
    text.nodeValue = next;
  },
  commitUpdate(instance: Instance, _type: string, previous: Props, next: Props) {
    updateProps(instance, previous, next);
    currentProps.set(instance, next);
  },
  // DOM7: a suspended subtree stays in the page, hidden, until its content is ready.
  hideInstance(instance) {
    instance.style.setProperty('display', 'none', 'important');
  },
  unhideInstance(instance, props) {
    instance.style.removeProperty('display');
    const display = (props.style as Readonly<Record<string, unknown>> | undefined)?.display;
    if (typeof display === 'string') instance.style.setProperty('display', display);
  },
  hideTextInstance(text) {
    text.nodeValue = '';
  },
  unhideTextInstance(text, content) {
    text.nodeValue = content;
  },
  clearContainer(container) {
    container.textContent = '';
  },
  detachDeletedInstance(instance) {
    currentProps.delete(instance);
  },

  scheduleTimeout: (fn, delay) => setTimeout(fn, delay),
  cancelTimeout: (id) => clearTimeout(id),
  noTimeout: -1,
  supportsMicrotasks: true,
  scheduleMicrotask: (fn) => queueMicrotask(() => void fn()),

  setCurrentUpdatePriority(priority) {
    currentUpdatePriority = priority;
  },
  getCurrentUpdatePriority: () => currentUpdatePriority,
  resolveUpdatePriority: () =>
    currentUpdatePriority !== NoEventPriority ? currentUpdatePriority : eventPriority(window.event?.type),

  getInstanceFromNode: () => null,
  beforeActiveInstanceBlur() {},
  afterActiveInstanceBlur() {},
  prepareScopeUpdate() {},
  getInstanceFromScope: () => null,
  NotPendingTransition: null,
  HostTransitionContext: createContext(null) as unknown as ReactReconciler.ReactContext<null>,
  resetFormInstance() {},
  requestPostPaintCallback() {},
  shouldAttemptEagerTransition: () => false,
  trackSchedulerEvent() {},
  resolveEventType: () => window.event?.type ?? null,
  resolveEventTimeStamp: () => window.event?.timeStamp ?? -1.1,
  maySuspendCommit: () => false,
  preloadInstance: () => true,
  startSuspendingCommit() {},
  suspendInstance() {},
  waitForCommitToBeReady: () => null,
};
