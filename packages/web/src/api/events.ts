import type { InstanceEvent } from './types.js';
import { SseParser } from './sse.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface StreamOptions {
  readonly token: string;
  readonly onEvent: (event: InstanceEvent) => void;
  readonly onState: (state: StreamState) => void;
  readonly signal: AbortSignal;
  readonly url?: string;
}

/**
 * Follows GET /v1/events. EventSource cannot send an Authorization header (and the token never
 * goes into a URL), so this reads the stream with fetch. It reconnects with Last-Event-ID after
 * a dropped connection, waiting a little longer each time (at most 10 s), until `signal` aborts.
 */
export async function followEvents(options: StreamOptions): Promise<void> {
  const { token, onEvent, onState, signal } = options;
  const stopped = () => signal.aborted;
  let lastId: string | null = null;
  let failures = 0;
  while (!stopped()) {
    onState(failures === 0 ? 'connecting' : 'reconnecting');
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'text/event-stream',
      };
      if (lastId !== null) headers['last-event-id'] = lastId;
      const response = await fetch(options.url ?? '/v1/events', { headers, signal });
      if (!response.ok || !response.body) throw new Error(`HTTP ${String(response.status)}`);
      onState('live');
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          if (message.id !== null) lastId = message.id;
          if (message.event !== 'instance') continue;
          onEvent(JSON.parse(message.data) as InstanceEvent);
        }
      }
    } catch {
      if (stopped()) return;
    }
    failures++;
    onState('reconnecting');
    await pause(Math.min(10_000, 500 * 2 ** Math.min(failures, 5)), signal);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
