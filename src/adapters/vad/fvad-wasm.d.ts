/** Types for @echogarden/fvad-wasm@0.2.0: libfvad (WebRTC VAD) compiled to WebAssembly by Emscripten. */
declare module '@echogarden/fvad-wasm' {
  export interface FvadModule {
    _fvad_new(): number;
    _fvad_free(inst: number): void;
    _fvad_reset(inst: number): void;
    /** 0..3; returns 0 on success. */
    _fvad_set_mode(inst: number, mode: number): number;
    /** 8000, 16000, 32000 or 48000; returns 0 on success. */
    _fvad_set_sample_rate(inst: number, rate: number): number;
    /** A 10, 20 or 30 ms frame of int16 samples: 1 speech, 0 not, -1 error. */
    _fvad_process(inst: number, frame: number, length: number): number;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    HEAP16: Int16Array;
  }
  const createModule: () => Promise<FvadModule>;
  export default createModule;
}
