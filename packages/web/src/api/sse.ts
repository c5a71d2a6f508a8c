/** A server-sent event: its type, id and data (the lines joined). */
export interface SseMessage {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules the dashboard needs: `event`, `id`,
 * `data`, comments; lines end in LF, CRLF or CR). Feed it chunks as they arrive, split anywhere;
 * it returns whole messages.
 */
export class SseParser {
  private buffer = '';
  private event = 'message';
  private id: string | null = null;
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\n|\r/.exec(this.buffer);
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      const message =
        this.data.length === 0
          ? null
          : { event: this.event, id: this.id, data: this.data.join('\n') };
      this.event = 'message';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    else if (field === 'data') this.data.push(value);
    return null;
  }
}
