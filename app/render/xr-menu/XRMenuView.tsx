import type { ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Mesh } from 'three';
import { formatCode, requestRoomCode } from '../../core/room-code.ts';
import type { Room } from '../../room/open-room.ts';
import type { XRMenu } from '../../room/xr-menu.ts';
import { SCENES, switchScene } from '../../scene/runtime/scene-catalog.ts';
import { useStore } from '../use-store.ts';
import { useVoiceState } from '../use-voice.ts';
import { createLabelTexture, type LabelStyle } from './label-texture.ts';

/** Width and height of one full-width row, metres; rows are this far apart. */
const ROW: [number, number] = [0.32, 0.08];
const ROW_STEP = 0.09;
/** Where the second column (comfort, scenes) stands, right of the first. */
const COLUMN_2 = ROW[0] + 0.04;
const VOLUME_STEP = 0.25;

interface ItemProps {
  menu: XRMenu;
  id: string;
  text: string;
  style?: LabelStyle;
  position: [number, number, number];
  width?: number;
  onPress?: () => void;
}

/** What a hovered button shows: a light frame this much wider than it on each side, just behind it. */
const HOVER_FRAME = 0.006;

/**
 * One label or button of the menu: pressed by a controller's or hand's ray
 * (a click) or by a hand's fingertip (MENU6, in `XRMenu`); framed while
 * a ray or a fingertip hovers it.
 */
function Item({ menu, id, text, style = 'button', position, width = ROW[0], onPress }: ItemProps) {
  const mesh = useRef<Mesh>(null);
  const press = useRef(onPress);
  press.current = onPress;
  const pressable = onPress !== undefined;
  const hovered = useStore(menu.hovered) === id && pressable;
  const texture = useMemo(() => createLabelTexture(text, style), [text, style]);
  useEffect(() => () => texture.dispose(), [texture]);
  useEffect(() => {
    const object = mesh.current;
    if (!object) return undefined;
    return menu.register(id, {
      object,
      width,
      height: ROW[1],
      ...(pressable ? { press: () => press.current?.() } : {}),
    });
  }, [menu, id, width, pressable]);
  const handlers = pressable
    ? {
        onClick: (event: ThreeEvent<MouseEvent>) => {
          event.stopPropagation();
          press.current?.();
        },
        onPointerOver: () => menu.rayHover(id, true),
        onPointerOut: () => menu.rayHover(id, false),
      }
    : {};
  return (
    <group position={position}>
      <mesh ref={mesh} name={`xr-menu:${id}`} {...handlers}>
        <planeGeometry args={[width, ROW[1]]} />
        <meshBasicMaterial map={texture} toneMapped={false} />
      </mesh>
      {hovered && (
        <mesh name={`xr-menu-hover:${id}`} position={[0, 0, -0.002]}>
          <planeGeometry args={[width + 2 * HOVER_FRAME, ROW[1] + 2 * HOVER_FRAME]} />
          <meshBasicMaterial color="#ffd166" toneMapped={false} />
        </mesh>
      )}
    </group>
  );
}

/**
 * MENU4 and MENU5, the second column: snap-turn angle and vignette (this
 * device's comfort settings), then the shipped scenes. A scene switches on a
 * second press of it (SCENE2's confirmation); a viewer in a protected room
 * sees why it cannot switch instead (ROLE10).
 */
function SettingsColumn({ room, menu }: { room: Room; menu: XRMenu }) {
  const comfort = useStore(room.comfort.settings);
  const armed = useStore(menu.armedScene);
  const [error, setError] = useState<string>();
  const { rights } = room.interaction;
  let row = 0;
  const y = () => -ROW_STEP * row++;
  return (
    <group position={[COLUMN_2, 0, 0]}>
      <Item
        menu={menu}
        id="snap-turn"
        text={comfort.snapTurnDeg === 0 ? 'Snap turn: off' : `Snap turn: ${comfort.snapTurnDeg}°`}
        position={[0, y(), 0]}
        onPress={() => room.comfort.nextSnapTurn()}
      />
      <Item
        menu={menu}
        id="vignette"
        text={`Vignette: ${comfort.vignette ? 'on' : 'off'}`}
        style={comfort.vignette ? 'active' : 'button'}
        position={[0, y(), 0]}
        onPress={() => room.comfort.toggleVignette()}
      />
      {!rights.changesShared ? (
        <Item menu={menu} id="scenes-view-only" text="Scenes: view only" style="text" position={[0, y(), 0]} />
      ) : (
        SCENES.map((entry) => (
          <Item
            key={entry.id}
            menu={menu}
            id={`scene:${entry.id}`}
            text={armed === entry.id ? `Switch all to ${entry.title}?` : `Scene: ${entry.title}`}
            style={armed === entry.id ? 'danger' : 'button'}
            position={[0, y(), 0]}
            onPress={() => {
              if (menu.pressScene(entry.id, rights)) void switchScene(room.session.room, entry).then(setError);
            }}
          />
        ))
      )}
      {error && <Item menu={menu} id="scene-error" text={error} style="danger" position={[0, y(), 0]} />}
    </group>
  );
}

/**
 * The in-world menu (MENU1-MENU5): my microphone, the people here with their
 * speaking indicator and my volume for each, the room code to read aloud, and
 * leave; beside them the comfort settings and the scene picker. Drawn only
 * while open, where the room's `XRMenu` placed it (loaded with the XR layer, LOAD12).
 */
export function XRMenuView({ room, onLeave }: { room: Room; onLeave: () => void }) {
  const xr = useStore(room.xr);
  return xr ? <XRMenuPanel room={room} menu={xr.menu} onLeave={onLeave} /> : null;
}

/** The menu itself, drawn while it is open. */
function XRMenuPanel({ room, menu, onLeave }: { room: Room; menu: XRMenu; onLeave: () => void }) {
  const open = useStore(menu.open);
  const voice = useVoiceState(room);
  const { peers } = useStore(room.session.status);
  const [code, setCode] = useState<string>();
  if (!open) return null;
  const { position, yaw } = menu.anchor;
  const voices = new Map(voice.peers.map((v) => [v.peerId, v]));
  const mic = !voice.available
    ? 'No voice here'
    : voice.mic !== 'on'
      ? 'Turn on microphone'
      : voice.muted
        ? 'Unmute my microphone'
        : 'Mute my microphone';
  const pressMic = () => {
    const v = room.voice.get();
    if (!v || !voice.available) return;
    if (voice.mic !== 'on') void v.enableMic();
    else v.setMuted(!voice.muted);
  };
  let row = 0;
  const y = () => -ROW_STEP * row++;
  return (
    <group position={[position.x, position.y, position.z]} rotation={[0, yaw, 0]} name="xr-menu">
      <Item
        menu={menu}
        id="room-code"
        text={code ? `Room code ${formatCode(code)}` : 'Show room code'}
        position={[0, y(), 0]}
        onPress={() => {
          void requestRoomCode(room.id).then(setCode);
        }}
      />
      <Item
        menu={menu}
        id="mic"
        text={mic}
        style={voice.transmitting ? 'active' : 'button'}
        position={[0, y(), 0]}
        onPress={pressMic}
      />
      {peers.map((peer) => {
        const v = voices.get(peer.peerId);
        const top = y();
        const volume = v?.volume ?? 1;
        const setVolume = (next: number) => room.voice.get()?.setVolume(peer.peerId, Math.max(0, Math.min(1, next)));
        return (
          <group key={peer.peerId}>
            <Item
              menu={menu}
              id={`peer:${peer.peerId}`}
              text={`${v?.speaking ? '● ' : ''}${peer.name} ${Math.round(volume * 100)}%`}
              style={v?.speaking ? 'active' : 'text'}
              position={[-0.06, top, 0]}
              width={0.2}
            />
            <Item
              menu={menu}
              id={`peer:${peer.peerId}:down`}
              text="−"
              position={[0.07, top, 0]}
              width={0.05}
              onPress={() => setVolume(volume - VOLUME_STEP)}
            />
            <Item
              menu={menu}
              id={`peer:${peer.peerId}:up`}
              text="+"
              position={[0.13, top, 0]}
              width={0.05}
              onPress={() => setVolume(volume + VOLUME_STEP)}
            />
          </group>
        );
      })}
      <Item menu={menu} id="leave" text="Leave the room" style="danger" position={[0, y(), 0]} onPress={onLeave} />
      <Item menu={menu} id="close" text="Close menu" position={[0, y(), 0]} onPress={() => menu.close()} />
      <SettingsColumn room={room} menu={menu} />
    </group>
  );
}
