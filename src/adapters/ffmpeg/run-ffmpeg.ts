import { TingjianError } from '../../domain/errors.js';
import { programMissing, runProgram, type RunProgramOptions, type RunProgramResult } from '../../platform/run-program.js';

export type RunFfmpegOptions = RunProgramOptions;
export type RunFfmpegResult = RunProgramResult;

/**
 * Runs ffmpeg (see runProgram: no shell, stdin closed, hard timeout, capped output). A non-zero
 * exit is NOT an error here: callers read the log and decide. It rejects only when the binary
 * cannot be started at all, saying how to install it.
 *
 * @example
 *   const { code, stderr } = await runFfmpeg('/usr/bin/ffmpeg', ['-hide_banner', '-i', 'in.mp3', '-f', 'null', '-'], { timeoutMs: 30_000 });
 */
export function runFfmpeg(ffmpegPath: string, args: readonly string[], opts: RunFfmpegOptions = {}): Promise<RunFfmpegResult> {
  return runProgram(ffmpegPath, args, {
    ...opts,
    onSpawnError: (err) =>
      new TingjianError(
        programMissing(err) ? 'DEPENDENCY_MISSING' : 'INTERNAL',
        `cannot run ffmpeg at "${ffmpegPath}" (${err.code ?? err.message}); install it with \`apt-get install -y ffmpeg\` or set TINGJIAN_FFMPEG to an executable ffmpeg`,
        { ffmpegPath },
        { cause: err },
      ),
  });
}
