import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type LogSource = 'stdout' | 'stderr';

interface Frame {
  readonly source: LogSource;
  readonly payload: Buffer;
}

const HEADER_BYTES = 8;

/**
 * Decodes Docker's multiplexed log format (containers without a TTY): each frame is an
 * 8-byte header — stream type (1 stdout, 2 stderr), three zero bytes, a big-endian
 * payload length — then the payload. Frames may arrive split across chunks.
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + length) break;
      const source: LogSource = this.pending[0] === 2 ? 'stderr' : 'stdout';
      frames.push({ source, payload: this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length) });
      this.pending = this.pending.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}

/** True when the buffer starts like a multiplexed frame; a TTY container's log is raw text instead. */
export function isMultiplexed(buffer: Buffer): boolean {
  return buffer.length >= HEADER_BYTES && buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
}

/** A finished (non-follow) log answer as text, stdout and stderr interleaved as the engine recorded them. */
export function demultiplexLog(buffer: Buffer): string {
  if (!isMultiplexed(buffer)) return buffer.toString('utf8');
  return Buffer.concat(new FrameDecoder().push(buffer).map((frame) => frame.payload)).toString('utf8');
}

/** One log line with where it came from and when the engine recorded it. */
export interface LogEntry {
  readonly source: LogSource;
  /** The engine's timestamp (RFC 3339 with nanoseconds, UTC). */
  readonly at: string;
  readonly line: string;
}

/** The engine's `timestamps` option prefixes every line with `<RFC 3339 nano> `. */
const TIMESTAMP_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** Splits the engine's timestamp off a line; a line without one (never expected) gets the time it was read. */
export function toLogEntry(source: LogSource, text: string): LogEntry {
  const match = TIMESTAMP_PREFIX.exec(text);
  if (!match) return { source, at: new Date().toISOString(), line: text };
  return { source, at: match[1]!, line: text.slice(match[0].length) };
}

/**
 * A log as a stream of lines (object mode, one string per line, without the newline;
 * with `timestamped` — the engine was asked for timestamps — one LogEntry per line).
 * Lines are cut per source, so a partial stdout line is never glued to a stderr line.
 * Ends when the engine ends the log (the container stopped); destroying it closes the
 * connection to the engine. `mapError` turns a transport failure into the driver's
 * typed error.
 */
export function logLines(
  raw: NodeJS.ReadableStream,
  mapError: (error: unknown) => Error,
  options: { timestamped?: boolean } = {},
): Readable {
  const item = (from: LogSource, line: string) => (options.timestamped ? toLogEntry(from, line) : line);
  const decoder = new FrameDecoder();
  const partial: Record<LogSource, string> = { stdout: '', stderr: '' };
  // A multi-byte character may be cut between two frames: decode per source, statefully.
  const text: Record<LogSource, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  let multiplexed: boolean | undefined;
  const source = raw as Readable;

  const lines = new Readable({
    objectMode: true,
    read() {
      source.resume();
    },
    destroy(error, callback) {
      source.destroy();
      callback(error);
    },
  });

  const emit = (from: LogSource, bytes: Buffer) => {
    const parts = (partial[from] + text[from].write(bytes)).split('\n');
    partial[from] = parts.pop()!;
    for (const line of parts) {
      // Backpressure: stop reading from the engine until the consumer asks for more.
      if (!lines.push(item(from, line.replace(/\r$/, '')))) source.pause();
    }
  };

  source.on('data', (chunk: Buffer) => {
    multiplexed ??= isMultiplexed(chunk);
    if (!multiplexed) return emit('stdout', chunk);
    for (const frame of decoder.push(chunk)) emit(frame.source, frame.payload);
  });
  source.on('end', () => {
    for (const from of ['stdout', 'stderr'] as const) {
      const rest = partial[from] + text[from].end();
      if (rest) lines.push(item(from, rest));
    }
    lines.push(null);
  });
  source.on('error', (error) => {
    if (!lines.destroyed) lines.destroy(mapError(error));
  });
  return lines;
}
