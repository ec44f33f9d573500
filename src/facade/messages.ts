/**
 * One reader of a socket's messages (`for await (const m of socket)`, `connect().recv()`): what it
 * has not yet taken, and the `next()` calls waiting for a message. It ends when the socket closes
 * for good or the loop breaks (`return`).
 *
 * Theory of operation: the buffer is bounded by a count and a byte total (`inbox`). A message is
 * never refused here, since it is already read: the reader tells its socket once when it reaches
 * the bound (`full`), and the socket stops reading, so what follows waits in TCP; it tells once
 * again when the app has taken it down to half (`room`), and the socket reads again. The hysteresis
 * keeps a reader that takes one message at a time from toggling the socket per message.
 */
import type { IncomingData } from './events.ts';
import { byteSize } from './outbox.ts';

/** The bounds of what each reader holds that the app has not taken yet. */
export interface InboxOptions {
  /** The most messages a reader holds before the socket stops reading. @default 10000 */
  readonly maxMessages?: number;
  /** The most bytes (UTF-8 for text) a reader holds before the socket stops reading. @default 1048576 (1 MiB) */
  readonly maxBytes?: number;
}

export const INBOX_DEFAULTS = { maxMessages: 10_000, maxBytes: 1_048_576 } as const;

/** A socket's readers, and how many of them are full: the socket reads only while none is. */
export class Readers {
  readonly all = new Set<MessageQueue>();
  #full = 0;

  /** `hold(true)` when the first reader fills up, `hold(false)` when the last full one has room. */
  constructor(private readonly hold: (full: boolean) => void) {}

  get anyFull(): boolean {
    return this.#full > 0;
  }

  /** What the slowest reader holds, messages. */
  get unread(): number {
    let most = 0;
    for (const reader of this.all) most = Math.max(most, reader.length);
    return most;
  }

  /** A reader reached its bound. */
  full(): void {
    if (this.#full++ === 0) this.hold(true);
  }

  /** A full reader has room again (taken down to half, or ended). */
  room(): void {
    if (--this.#full === 0) this.hold(false);
  }

  ended(reader: MessageQueue): void {
    this.all.delete(reader);
  }
}

export class MessageQueue implements AsyncIterator<IncomingData> {
  #buffer: IncomingData[] = [];
  #sizes: number[] = [];
  #bytes = 0;
  #full = false;
  #waiting: ((result: IteratorResult<IncomingData>) => void)[] = [];
  #ended = false;

  constructor(
    private readonly owner: Readers,
    private readonly bounds: { readonly maxMessages: number; readonly maxBytes: number },
  ) {}

  /** Messages held, not yet taken. */
  get length(): number {
    return this.#buffer.length;
  }

  /** `size`: the message's bytes, measured once for every reader. */
  push(data: IncomingData, size = byteSize(data)): void {
    const waiter = this.#waiting.shift();
    if (waiter) {
      waiter({ value: data, done: false });
      return;
    }
    this.#buffer.push(data);
    this.#sizes.push(size);
    this.#bytes += size;
    if (!this.#full && (this.#buffer.length >= this.bounds.maxMessages || this.#bytes >= this.bounds.maxBytes)) {
      this.#full = true;
      this.owner.full();
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
    this.owner.ended(this);
    for (const waiter of this.#waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<IncomingData>> {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift() as IncomingData;
      this.#bytes -= this.#sizes.shift() ?? 0;
      if (this.#full && this.#buffer.length * 2 <= this.bounds.maxMessages && this.#bytes * 2 <= this.bounds.maxBytes) this.#release();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  return(): Promise<IteratorResult<IncomingData>> {
    this.#buffer = [];
    this.#sizes = [];
    this.#bytes = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** This reader no longer holds the socket back. */
  #release(): void {
    if (!this.#full) return;
    this.#full = false;
    this.owner.room();
  }
}
