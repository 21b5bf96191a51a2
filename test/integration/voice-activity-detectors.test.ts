import { SileroVad } from '../../src/adapters/vad/silero-vad.js';
import { WebRtcVad } from '../../src/adapters/vad/webrtc-vad.js';
import { voiceActivityDetectorContract } from '../contract/voice-activity-detector.contract.js';

voiceActivityDetectorContract('Silero (sherpa-onnx, bundled model)', (s) => Promise.resolve(new SileroVad(s)), { minRecall: 0.9 });
voiceActivityDetectorContract('WebRTC (fvad-wasm)', (s) => WebRtcVad.create(s), { minRecall: 0.85 });
