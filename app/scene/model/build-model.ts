/**
 * Parser tree -> scene model (docs/scene-runtime.md). Pure and synchronous:
 * the same tree gives the same model on every peer, which is what makes ids
 * (ID1-ID5) and object state line up across the room.
 *
 * @example
 *   const { document } = await parser.parse(text);
 *   const model = buildSceneModel(document);
 *   model.byId.get('Shelf/product_a'); // a MeshNode
 */

import { type ObjectId, objectId } from '../../core/ids.ts';
import type { JsonValue } from '../../sync/doc/object-state.ts';
import type { Block, Body, Document, Handler, Property, Span } from '../syntax/ast.ts';
import { NODE_KEYWORDS, normalizeKey } from '../syntax/vocabulary.ts';
import { type BuildTarget, DrawnScene, Prototypes } from './build-targets.ts';
import { readCameraProperty } from './camera.ts';
import { defaultEnvironment, readEnvironmentProperty } from './environment.ts';
import { isHandlerName } from './events.ts';
import { collectHandlers, handlerTable, isBehaviorBlock } from './handler-table.ts';
import { MAX_LIGHTS, MAX_NESTING, MAX_SCENE_NODES } from './limits.ts';
import { defaultMaterial } from './materials.ts';
import { modelPath } from './model-url.ts';
import { decideKind } from './node-kind.ts';
import { SiblingIds } from './object-ids.ts';
import { type PhysicsConfig, physicsSpec } from './physics-spec.ts';
import { applyMaterialRecord, type NodeDraft, type ReadContext, readProperty } from './read-properties.ts';
import type { CameraSpec, EnvironmentSpec, HandlerTable, SceneModel, SceneNode, Vec3 } from './scene-model.ts';
import { staticValue } from './static-value.ts';
import { TemplateRegistry } from './templates.ts';
import { applyTrait, noTraits, traitConfig, traitOf } from './traits.ts';
import { WarningCollector } from './warnings.ts';

/** Where prototypes of templates live while `spawn` has not used them (never drawn). */
const PROTOTYPE_PARENT = objectId('@proto');
/** Templates that get a spawn prototype; more are still usable by `using`. */
const MAX_PROTOTYPES = 64;

export function buildSceneModel(document: Document): SceneModel {
  return new ModelBuilder().build(document);
}

function isNodeBlock(block: Block): boolean {
  return (
    block.kind === 'Object' ||
    block.kind === 'Group' ||
    block.kind === 'Light' ||
    (block.kind === 'UnknownBlock' && NODE_KEYWORDS.includes(block.keyword))
  );
}

function defaultDraft(kind: NodeDraft['kind']): NodeDraft {
  return {
    kind,
    transform: { position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] },
    visible: true,
    label: null,
    castShadow: null,
    receiveShadow: null,
    state: new Map(),
    glow: false,
    geometry: 'box',
    size: [1, 1, 1],
    material: defaultMaterial(),
    url: null,
    text: { text: '', color: '#ffffff', size: 0.2, background: '#0f1720', billboard: true },
    light: {
      type: 'point',
      color: '#ffffff',
      intensity: 1,
      distance: 0,
      decay: 2,
      angle: 30,
      penumbra: 0.2,
      castShadow: false,
      groundColor: '#444444',
      target: [0, 0, 0],
    },
    direction: null,
    physics: Object.create(null),
  };
}

class ModelBuilder {
  private readonly warnings = new WarningCollector();
  private readonly templates = new TemplateRegistry();
  private readonly namedMaterials = new Map<string, Map<string, JsonValue>>();
  private readonly scene = new DrawnScene();
  private readonly sceneState = new Map<string, JsonValue>();
  /** INT7: actions declared at the top of the scene (`action select(id) { }`). */
  private readonly actions = new Map<string, Handler>();
  private readonly environment: EnvironmentSpec = defaultEnvironment();
  private camera: CameraSpec | null = null;
  private title: string | null = null;
  /** Where nodes go: the drawn scene, or (while building what `spawn` copies) prototypes. */
  private target: BuildTarget = this.scene;

  build(document: Document): SceneModel {
    this.templates.collect(document, (block) =>
      this.warn('DUPLICATE_NAME', `Template "${block.name}" is defined again; the later one is used.`, block),
    );
    this.collectMaterials(document);
    for (const item of document.imports) {
      this.warn('UNSUPPORTED_BLOCK', `Imports are not loaded: "${item.source}" is ignored.`, item);
    }
    const roots: SceneNode[] = [];
    this.walkScope(document, new SiblingIds(null), roots);
    const spawnables = this.buildSpawnables(roots);
    const stats = { nodes: 0, meshes: 0, models: 0, texts: 0, lights: 0, groups: 0 };
    for (const node of this.scene.byId.values()) {
      stats.nodes++;
      if (node.kind === 'mesh') stats.meshes++;
      else if (node.kind === 'model') stats.models++;
      else if (node.kind === 'text') stats.texts++;
      else if (node.kind === 'light') stats.lights++;
      else stats.groups++;
    }
    return {
      title: this.title,
      environment: this.environment,
      camera: this.camera,
      roots,
      byId: this.scene.byId,
      parentOf: this.scene.parentOf,
      spawnables,
      sceneState: this.sceneState,
      actions: this.actions,
      warnings: this.warnings.warnings,
      droppedWarnings: this.warnings.dropped,
      limits: this.warnings.limits,
      stats,
      unsupported: [...this.warnings.unsupported].sort(),
    };
  }

  private warn(code: Parameters<WarningCollector['add']>[0], message: string, span: Span): void {
    if (this.target.reports) this.warnings.add(code, message, span);
  }

  /** Named `material "Name" { ... }` blocks outside objects become presets (MAT2). */
  private collectMaterials(body: Body): void {
    for (const child of body.children) {
      if (child.kind === 'Material' && child.name !== null) {
        const fields = new Map<string, JsonValue>();
        for (const property of child.properties) {
          const value = staticValue(property.value);
          if (value.ok) fields.set(property.key, value.value);
        }
        this.namedMaterials.set(child.name, fields);
      } else if (child.kind === 'Composition') this.collectMaterials(child);
    }
  }

  /** The document or a composition: transparent scopes whose nodes are roots. */
  private walkScope(body: Body, siblings: SiblingIds, out: SceneNode[]): void {
    for (const property of body.properties) {
      this.warn('UNSUPPORTED_PROPERTY', `\`${property.key}\` at the top of the scene is not used.`, property);
    }
    for (const trait of body.traits) {
      this.unsupportedTrait(trait.name, trait, 'at the top of the scene');
    }
    for (const handler of body.handlers) {
      if (handler.form === 'action') this.actions.set(handler.name, handler);
      else
        this.warn(
          'UNSUPPORTED_HANDLER',
          `Handlers run on objects; \`${handler.name}\` at the top is not run.`,
          handler,
        );
    }
    this.unusedCalls(body);
    for (const child of body.children) this.scopeChild(child, siblings, out);
  }

  /** SYN1 calls in a block name something to do when the scene loads: nothing runs them. */
  private unusedCalls(body: Body): void {
    for (const call of body.calls) {
      const name = call.callee.kind === 'Identifier' ? call.callee.name : 'this call';
      this.warn('UNSUPPORTED_CALL', `\`${name}(...)\` in a block is not run; handlers run on events.`, call);
    }
  }

  private scopeChild(child: Block, siblings: SiblingIds, out: SceneNode[]): void {
    switch (child.kind) {
      case 'Composition':
        this.title ??= child.name;
        this.walkScope(child, siblings, out);
        return;
      case 'State':
        this.readState(child, this.sceneState);
        return;
      case 'Material':
        if (child.name === null) this.warn('UNSUPPORTED_BLOCK', 'A material block belongs inside an object.', child);
        return;
      default: {
        if (this.sideBlock(child)) return;
        const node = this.buildNode(child, siblings, 1);
        if (node) out.push(node);
      }
    }
  }

  /** Blocks that are not nodes and may stand anywhere: environment, camera, metadata, templates, unknown. */
  private sideBlock(block: Block): boolean {
    switch (block.kind) {
      case 'Template':
        return true;
      case 'Environment':
        this.readEnvironment(block);
        return true;
      case 'Camera':
        this.readCamera(block);
        return true;
      case 'Metadata':
        for (const property of block.properties) {
          const key = normalizeKey(property.key);
          if ((key === 'title' || key === 'name') && property.value.kind === 'String') {
            this.title ??= property.value.value;
          }
        }
        return true;
      case 'UnknownBlock':
        if (NODE_KEYWORDS.includes(block.keyword)) return false;
        this.warnings.unsupportedName(block.keyword);
        this.warn('UNSUPPORTED_BLOCK', `\`${block.keyword}\` blocks are not supported; it is ignored.`, block);
        return true;
      default:
        return false;
    }
  }

  private readEnvironment(block: Block): void {
    this.environment.declared = true;
    for (const property of block.properties) {
      const value = this.fold(property);
      if (value !== undefined) {
        readEnvironmentProperty(this.environment, property.key, value, (code, message) =>
          this.warn(code, message, property),
        );
      }
    }
    for (const child of block.children) {
      this.warn('UNSUPPORTED_BLOCK', `\`${child.keyword}\` inside environment is not supported.`, child);
    }
    for (const trait of block.traits) this.unsupportedTrait(trait.name, trait, 'on environment');
  }

  private readCamera(block: Block): void {
    const camera: CameraSpec = this.camera ?? { position: [0, 1.7, 5], target: [0, 1, 0], fov: 65 };
    for (const property of block.properties) {
      const value = this.fold(property);
      if (value !== undefined) {
        readCameraProperty(camera, property.key, value, (code, message) => this.warn(code, message, property));
      }
    }
    this.camera = camera;
  }

  private readState(block: Block, into: Map<string, JsonValue>): void {
    for (const property of block.properties) {
      const value = this.fold(property);
      if (value !== undefined) into.set(property.key, value);
    }
  }

  /** A property's folded value, or undefined after a BAD_VALUE warning. */
  private fold(property: Property): JsonValue | undefined {
    const result = staticValue(property.value);
    if (result.ok) return result.value;
    this.warn('BAD_VALUE', `\`${property.key}\`: ${result.message}.`, property);
    return undefined;
  }

  private unsupportedTrait(name: string, span: Span, where = ''): void {
    this.warnings.unsupportedName(`@${name}`);
    this.warn(
      'UNSUPPORTED_TRAIT',
      `@${name} is not supported${where ? ` ${where}` : ''}; it is drawn without it.`,
      span,
    );
  }

  private buildNode(block: Block, siblings: SiblingIds, depth: number): SceneNode | undefined {
    if (depth > MAX_NESTING) {
      this.limit('LIMIT2', `Blocks nested more than ${MAX_NESTING} deep are not drawn.`, block);
      return undefined;
    }
    if (!this.target.admitNode()) {
      this.limit('LIMIT1', `Only the first ${MAX_SCENE_NODES} objects are drawn.`, block);
      return undefined;
    }
    const flat = this.templates.flatten(block, (warning) => this.warn(warning.code, warning.message, warning));
    const decision = decideKind(block, flat.properties, flat.children);
    const countedLight =
      decision.kind === 'light' && decision.lightType !== 'ambient' && decision.lightType !== 'hemisphere';
    if (countedLight && !this.target.admitLight()) {
      this.limit('LIMIT4', `Only ${MAX_LIGHTS} lights (besides ambient and hemisphere) are used.`, block);
      return undefined;
    }
    this.target.countNode();
    const explicitId = this.target.explicitIds ? explicitIdOf(flat.properties) : undefined;
    const id = explicitId === undefined ? siblings.next(block.name, block.keyword) : siblings.explicit(explicitId);
    const draft = defaultDraft(decision.kind);
    if (decision.lightType) draft.light.type = decision.lightType;
    const context: ReadContext = { namedMaterials: this.namedMaterials, report: () => {} };
    let positionGiven = false;
    for (const property of flat.properties) {
      if (isHandlerName(property.key)) {
        if (property.value.kind === 'Function') continue; // a handler (EV5)
        this.warn(
          'UNSUPPORTED_HANDLER',
          `\`${property.key}\` names an action; Holoroom runs handler blocks (\`${property.key} { ... }\`).`,
          property,
        );
        continue;
      }
      const value = this.fold(property);
      if (value === undefined) continue;
      if (normalizeKey(property.key) === 'position') positionGiven = true;
      context.report = (code, message) => {
        if (code === 'UNSUPPORTED_PROPERTY' && this.target.reports) this.warnings.unsupportedName(property.key);
        this.warn(code, message, property);
      };
      readProperty(draft, property.key, value, context);
    }
    const traits = noTraits();
    let physics: { config: PhysicsConfig; span: Span } | undefined;
    for (const trait of flat.traits) {
      const kind = traitOf(trait.name);
      if (kind === undefined) {
        this.unsupportedTrait(trait.name, trait);
        continue;
      }
      const config = traitConfig(trait, (message) => this.warn('BAD_VALUE', message, trait));
      applyTrait(traits, trait.name, config);
      if (kind === 'physics') physics = { config: { ...(physics?.config ?? {}), ...config }, span: trait };
    }
    if (traits.physics && physics) {
      // PHYS1: the object's own settings, then the trait's arguments and body.
      const { config, span } = physics;
      traits.physics = physicsSpec({ ...draft.physics, ...config }, (code, message) => this.warn(code, message, span));
      if (decision.kind !== 'mesh' && decision.kind !== 'model') {
        this.warn(
          'UNSUPPORTED_TRAIT',
          '@physics makes bodies of meshes and models only; this one does not move.',
          span,
        );
        traits.physics = null;
      }
    }
    if (draft.glow && !traits.glowing) applyTrait(traits, 'glowing', {});
    const warn = (code: Parameters<WarningCollector['add']>[0], message: string, span: Span) =>
      this.warn(code, message, span);
    const handlers: HandlerTable = handlerTable(
      collectHandlers(flat.handlers, flat.properties, flat.children, warn),
      warn,
    );
    this.unusedCalls(block);

    const children: SceneNode[] = [];
    const childIds = siblings.child(id);
    for (const child of flat.children) {
      if (child.kind === 'State') this.readState(child, draft.state);
      else if (child.kind === 'Material') {
        const record: Record<string, JsonValue> = Object.create(null);
        for (const property of child.properties) {
          const value = this.fold(property);
          if (value !== undefined) record[property.key] = value;
        }
        applyMaterialRecord(draft.material, record, 'material', (code, message) => this.warn(code, message, child));
      } else if (child.kind === 'Composition') {
        this.warn('UNSUPPORTED_BLOCK', 'A composition inside an object is read as a group.', child);
        const node = this.buildNode({ ...child, kind: 'Group' }, childIds, depth + 1);
        if (node) children.push(node);
      } else if (isNodeBlock(child)) {
        const node = this.buildNode(child, childIds, depth + 1);
        if (node) children.push(node);
      } else if (!isBehaviorBlock(child)) this.sideBlock(child);
    }
    const node = this.finish(block, id, draft, traits, handlers, children, positionGiven);
    this.target.add(id, node, children);
    return node;
  }

  private finish(
    block: Block,
    id: ObjectId,
    draft: NodeDraft,
    traits: SceneNode['traits'],
    handlers: HandlerTable,
    children: SceneNode[],
    positionGiven: boolean,
  ): SceneNode {
    // One object per node, completed per kind (object spread here was the model build's hottest spot).
    const base = {
      id,
      name: block.name,
      span: { from: block.from, to: block.to },
      transform: draft.transform,
      visible: draft.visible,
      traits,
      handlers,
      state: draft.state,
      label: draft.label,
      castShadow: draft.castShadow ?? draft.kind !== 'light',
      receiveShadow: draft.receiveShadow ?? true,
      owner: null,
      moved: false,
      spawned: false,
      children,
    };
    switch (draft.kind) {
      case 'group':
        return Object.assign(base, { kind: 'group' as const });
      case 'text':
        if (draft.text.text === '' && block.name !== null) draft.text.text = block.name;
        return Object.assign(base, { kind: 'text' as const, text: draft.text });
      case 'model': {
        const path = modelPath(draft.url ?? '');
        if (path.ok) return Object.assign(base, { kind: 'model' as const, url: path.path, material: draft.material });
        this.warn('MODEL_URL', `Model not loaded: ${path.reason}.`, block);
        return Object.assign(base, {
          kind: 'mesh' as const,
          geometry: 'box' as const,
          size: draft.size,
          material: placeholder(draft),
        });
      }
      case 'light': {
        const light = { ...draft.light, castShadow: draft.castShadow ?? draft.light.type === 'directional' };
        const transform = { ...draft.transform };
        if (light.type === 'directional' || light.type === 'spot') {
          if (draft.direction) {
            const d: Vec3 = draft.direction;
            transform.position = [
              light.target[0] - d[0] * 10,
              light.target[1] - d[1] * 10,
              light.target[2] - d[2] * 10,
            ];
          } else if (!positionGiven && light.type === 'directional') transform.position = [5, 10, 5];
        }
        base.castShadow = light.castShadow;
        base.transform = transform;
        return Object.assign(base, { kind: 'light' as const, light });
      }
      case 'mesh':
        return Object.assign(base, {
          kind: 'mesh' as const,
          geometry: draft.geometry,
          size: draft.size,
          material: draft.material,
        });
    }
  }

  private limit(rule: string, message: string, span: Span): void {
    if (this.target.reports) this.warnings.limit(rule, message, span);
  }

  /** SPAWN2: templates (first) and named objects, as prototype subtrees for `spawn`. */
  private buildSpawnables(roots: readonly SceneNode[]): Map<string, SceneNode> {
    const spawnables = new Map<string, SceneNode>();
    const visit = (nodes: readonly SceneNode[]) => {
      for (const node of nodes) {
        if (node.name !== null && node.kind !== 'light' && !spawnables.has(node.name)) spawnables.set(node.name, node);
        visit(node.children);
      }
    };
    visit(roots);
    this.target = new Prototypes();
    const siblings = new SiblingIds(PROTOTYPE_PARENT);
    for (const name of this.templates.names().slice(0, MAX_PROTOTYPES)) {
      const template = this.templates.get(name) as Block;
      const instance: Block = {
        ...template,
        kind: 'Object',
        keyword: 'object',
        using: name,
        name,
        traits: [],
        properties: [],
        handlers: [],
        children: [],
      };
      const node = this.buildNode(instance, siblings, 1);
      if (node) spawnables.set(name, node);
    }
    this.target = this.scene;
    return spawnables;
  }
}

/** ID6: the last `id: "..."` property with a non-empty string. */
function explicitIdOf(properties: readonly Property[]): string | undefined {
  for (let i = properties.length - 1; i >= 0; i--) {
    const property = properties[i] as Property;
    if (normalizeKey(property.key) === 'id' && property.value.kind === 'String' && property.value.value.trim() !== '') {
      return property.value.value;
    }
  }
  return undefined;
}

/** A model that cannot load shows as a see-through wire box where it would be. */
function placeholder(draft: NodeDraft) {
  return { ...draft.material, wireframe: true, color: '#ff6b6b' };
}
