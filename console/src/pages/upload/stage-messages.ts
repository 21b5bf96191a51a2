import { defineMessages } from '../../i18n/i18n';

/** The pipeline stages by name (STAGES), shown by the upload page and the calls list. */
export const stageMessages = defineMessages({
  'zh-CN': { ingest: '接收', decode: '解码', vad: '语音检测', transcribe: '转写', enrich: '分析', inspect: '质检', index: '索引' },
  'en-US': { ingest: 'Ingest', decode: 'Decode', vad: 'Voice activity', transcribe: 'Transcribe', enrich: 'Enrich', inspect: 'Inspect', index: 'Index' },
});
