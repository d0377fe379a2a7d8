/**
 * Whether this browser draws WebGL on the CPU (docs/performance.md DRAW5): SwiftShader, llvmpipe
 * or another software rasterizer, as on a machine without a usable GPU. There multisampling costs
 * about a third of a frame of a big room (the 500-object room here: 155 ms of the GPU process per
 * frame with it, 100 ms without, DRAW1), and the page's main thread waits for that work, so the
 * room's canvas is made without antialiasing. Told by a probe context's renderer name (the
 * unmasked one where the browser gives it).
 */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;
/** WEBGL_debug_renderer_info's UNMASKED_RENDERER_WEBGL. */
const UNMASKED_RENDERER = 0x9246;

export function drawsInSoftware(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const software = contextDrawsInSoftware(gl);
  // Let the probe's context go now rather than when it is collected (browsers cap live contexts).
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return software;
}

/** Whether this context draws on the CPU (the same test, on a context that exists already). */
export function contextDrawsInSoftware(gl: WebGLRenderingContext | WebGL2RenderingContext): boolean {
  const name = `${gl.getExtension('WEBGL_debug_renderer_info') ? gl.getParameter(UNMASKED_RENDERER) : ''} ${gl.getParameter(gl.RENDERER)}`;
  return SOFTWARE_RENDERER.test(name);
}
