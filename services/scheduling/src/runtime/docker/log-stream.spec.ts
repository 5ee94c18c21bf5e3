import { PassThrough } from 'node:stream';
import { FrameDecoder, demultiplexLog, logLines, toLogEntry } from './log-stream';

const frame = (stream: 1 | 2, text: string | Buffer) => {
  const payload = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

async function collect(chunks: Buffer[]): Promise<string[]> {
  const raw = new PassThrough();
  const lines = logLines(raw, (e) => e as Error);
  for (const chunk of chunks) raw.write(chunk);
  raw.end();
  const out: string[] = [];
  for await (const line of lines) out.push(line as string);
  return out;
}

describe('docker log demultiplexing', () => {
  it('decodes frames cut anywhere between chunks', () => {
    const all = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n')]);
    const decoder = new FrameDecoder();
    const frames = [...all].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(frames.map((f) => [f.source, f.payload.toString()])).toEqual([
      ['stdout', 'hello\n'],
      ['stderr', 'oops\n'],
    ]);
  });

  it('joins a finished log into text, and passes a TTY log through', () => {
    expect(demultiplexLog(Buffer.concat([frame(1, 'a\n'), frame(2, 'b\n')]))).toBe('a\nb\n');
    expect(demultiplexLog(Buffer.from('raw tty text\n'))).toBe('raw tty text\n');
  });

  it('cuts lines per stream, keeps multi-byte characters whole, and flushes the last partial line', async () => {
    const euro = Buffer.from('€');
    const lines = await collect([
      frame(1, 'out '),
      frame(2, 'err line\n'),
      frame(1, Buffer.concat([Buffer.from('continued '), euro.subarray(0, 1)])),
      frame(1, Buffer.concat([euro.subarray(1), Buffer.from('\r\nno newline')])),
    ]);
    expect(lines).toEqual(['err line', 'out continued €', 'no newline']);
  });

  it('splits the engine timestamp off each line when asked for timestamps', async () => {
    const raw = new PassThrough();
    const entries = logLines(raw, (e) => e as Error, { timestamped: true });
    raw.end(
      Buffer.concat([frame(1, '2026-01-02T03:04:05.123456789Z hello world\n'), frame(2, '2026-01-02T03:04:06Z oops')]),
    );
    const out: unknown[] = [];
    for await (const entry of entries) out.push(entry);
    expect(out).toEqual([
      { source: 'stdout', at: '2026-01-02T03:04:05.123456789Z', line: 'hello world' },
      { source: 'stderr', at: '2026-01-02T03:04:06Z', line: 'oops' },
    ]);
    expect(toLogEntry('stdout', 'no stamp').line).toBe('no stamp');
  });
});
