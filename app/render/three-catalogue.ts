/**
 * The three.js classes the room draws as JSX elements (`<mesh>`, `<hemisphereLight>`, ...).
 * `createRoomCanvas` (room-canvas.tsx) registers this module's namespace (`import * as`) with React Three Fiber. R3F's own
 * `<Canvas>` registers the whole `three` namespace (`extend(THREE)`), which keeps all of three in
 * the bundle; naming the classes lets the bundler drop the rest (docs/performance.md, LOAD3).
 *
 * A new lowercase element in `app/**` or in @react-three/xr needs its class here:
 * `three-catalogue.test.ts` reads the sources and fails on one that is missing.
 */
export {
  AmbientLight,
  BoxGeometry,
  CircleGeometry,
  DirectionalLight,
  Fog,
  GridHelper,
  Group,
  HemisphereLight,
  Mesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  PlaneGeometry,
  PointLight,
  SphereGeometry,
  SpotLight,
  Sprite,
  SpriteMaterial,
  TorusGeometry,
} from 'three';
