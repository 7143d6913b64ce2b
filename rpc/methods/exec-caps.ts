/**
Exec output for agents (the mcp face): capped well below the rpc default so one command cannot flood a
context window, with the byte totals so the agent knows how much it did not see.
*/
import type {Engine, ExecOptions, ExecResult} from '../../src/index.js';

/** Per stream, what an agent gets when it asks for no cap. */
export const MCP_EXEC_MAX_BYTES = 64 * 1024;
/** What the engine is asked to keep, to count the totals past the agent's cap. */
const MEASURE_MAX_BYTES = 1024 * 1024;

function cut(text: string, maxBytes: number): {text: string; bytes: number; cut: boolean} {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return {text, bytes: buffer.length, cut: false};
  // Drop a partial UTF-8 sequence at the cut rather than end on a replacement character.
  let end = maxBytes;
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
  return {text: buffer.subarray(0, end).toString('utf8'), bytes: buffer.length, cut: true};
}

export async function execForAgents(
  engine: Engine,
  ref: string,
  options: Omit<ExecOptions, 'signal'>,
  signal: AbortSignal,
): Promise<ExecResult & {readonly stdoutBytes: number; readonly stderrBytes: number}> {
  const cap = options.maxOutputBytes ?? MCP_EXEC_MAX_BYTES;
  const result = await engine.exec(ref, {
    ...options,
    signal,
    maxOutputBytes: Math.max(cap, options.maxOutputBytes ?? MEASURE_MAX_BYTES),
  });
  const stdout = cut(result.stdout, cap);
  const stderr = cut(result.stderr, cap);
  return {
    ...result,
    stdout: stdout.text,
    stderr: stderr.text,
    truncated: result.truncated || stdout.cut || stderr.cut,
    stdoutBytes: stdout.bytes,
    stderrBytes: stderr.bytes,
  };
}
