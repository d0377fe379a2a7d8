import { useEffect, useState } from 'react';
import type { Mesh, Object3D } from 'three';
import { loadModel } from './model-loader.ts';

type State = { status: 'loading' } | { status: 'ready'; object: Object3D } | { status: 'failed' };

/**
 * A glTF model node: a faint wire box while loading, the model when loaded,
 * a red wire box (and a message in the room, via `onProblem`) when it cannot be.
 */
export function SceneModelAsset({
  url,
  castShadow,
  receiveShadow,
  onProblem,
}: {
  url: string;
  castShadow: boolean;
  receiveShadow: boolean;
  onProblem(message: string | null): void;
}) {
  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    loadModel(url).then(
      (model) => {
        if (cancelled) return;
        const object = model.scene.clone(true);
        object.traverse((child) => {
          const mesh = child as Mesh;
          if (mesh.isMesh) {
            mesh.castShadow = castShadow;
            mesh.receiveShadow = receiveShadow;
          }
        });
        setState({ status: 'ready', object });
        onProblem(null);
      },
      (error: Error) => {
        if (cancelled) return;
        setState({ status: 'failed' });
        onProblem(`Model ${url} not loaded: ${error.message}`);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [url, castShadow, receiveShadow, onProblem]);

  if (state.status === 'ready') return <primitive object={state.object} />;
  return (
    <mesh>
      <boxGeometry args={[1, 1, 1]} />
      <meshBasicMaterial wireframe color={state.status === 'failed' ? '#ff6b6b' : '#9aa4ad'} />
    </mesh>
  );
}
