import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { defineMessages, useLocale, useT } from './i18n';

/**
 * What each of the server's stable error codes means, in the user's language. The server's own
 * messages (which say exactly what is wrong and how to fix it) are English; the console leads
 * with this line and shows the server's message under it.
 */
const codes = defineMessages({
  'zh-CN': {
    INVALID_METADATA: '元数据有误',
    INVALID_TRANSCRIPT: '转写文本有误',
    INVALID_AUDIO: '音频无法解码',
    UNSUPPORTED_FORMAT: '不支持的文件格式',
    EMPTY_UPLOAD: '上传的文件是空的',
    UPLOAD_TOO_LARGE: '文件过大',
    INVALID_REQUEST: '请求有误',
    INVALID_RULES: '规则有误',
    NOT_FOUND: '未找到',
    CONFLICT: '与当前状态冲突',
    WORM_LOCKED: '录音处于保留锁定期，不能修改或删除',
    LEGAL_HOLD: '处于法律保全，不能删除',
    GONE: '已被删除',
    RANGE_NOT_SATISFIABLE: '请求的范围超出文件',
    CONFIG_INVALID: '服务配置有误',
    DEPENDENCY_MISSING: '服务缺少依赖组件',
    INTEGRITY_MISMATCH: '文件校验不一致（可能已损坏或被篡改）',
    TIMEOUT: '处理超时',
    RATE_LIMITED: '请求过于频繁，请稍后再试',
    UNAUTHENTICATED: '未登录或登录已过期',
    FORBIDDEN: '没有权限',
    INTERNAL: '服务器内部错误',
    NETWORK: '无法连接服务器',
    other: '操作失败',
  },
  'en-US': {
    INVALID_METADATA: 'The metadata is not valid',
    INVALID_TRANSCRIPT: 'The transcript is not valid',
    INVALID_AUDIO: 'The audio cannot be decoded',
    UNSUPPORTED_FORMAT: 'This file format is not supported',
    EMPTY_UPLOAD: 'The uploaded file is empty',
    UPLOAD_TOO_LARGE: 'The file is too large',
    INVALID_REQUEST: 'The request is not valid',
    INVALID_RULES: 'The rules are not valid',
    NOT_FOUND: 'Not found',
    CONFLICT: 'Conflicts with the current state',
    WORM_LOCKED: 'The recording is locked for retention and cannot be changed or deleted',
    LEGAL_HOLD: 'On legal hold: it cannot be deleted',
    GONE: 'It has been deleted',
    RANGE_NOT_SATISFIABLE: 'The range asked for is outside the file',
    CONFIG_INVALID: 'The server is misconfigured',
    DEPENDENCY_MISSING: 'The server lacks a component it needs',
    INTEGRITY_MISMATCH: 'The file does not match its checksum (damaged or altered)',
    TIMEOUT: 'It took too long',
    RATE_LIMITED: 'Too many requests: try again shortly',
    UNAUTHENTICATED: 'Not signed in, or the session has ended',
    FORBIDDEN: 'You do not have the permission',
    INTERNAL: 'Internal server error',
    NETWORK: 'The server could not be reached',
    other: 'It did not work',
  },
});

type Code = keyof (typeof codes)['zh-CN'];

/**
 * (error) → the one-line meaning of its code in the user's language, the detail to show under
 * it (the server's message; none for a network error, already in the user's language), and both
 * as one line for a toast.
 */
export function useErrorText(): (e: unknown) => { title: string; detail: string | null; line: string } {
  const t = useT(codes);
  const { locale } = useLocale();
  return useCallback((e: unknown) => {
    const code = e instanceof ApiError && e.code in codes['zh-CN'] ? (e.code as Code) : 'other';
    const message = e instanceof Error ? e.message : String(e);
    if (code === 'NETWORK') return { title: message, detail: null, line: message };
    return { title: t(code), detail: message, line: `${t(code)}${locale === 'zh-CN' ? '：' : ': '}${message}` };
  }, [t, locale]);
}
