/**
 * The outbox: messages the app sent while no socket was open, kept in order and bounded (the
 * socket applies the same bounds to the outbox and the in-flight messages together).
 *
 * Theory of operation: the bound is both a count and a byte total, since either alone lets a
 * stalled connection eat the process (many tiny messages, or a few huge ones). A message that does
 * not fit is refused at `push` with `WSM_OUTBOX_FULL`, so the caller still holds it and knows;
 * nothing is ever dropped here. Messages taken out for a write that then failed go back to the head
 * with `unshift`, even past the bound, because refusing them there would lose them silently.
 * The queue is an array with a moving head, so taking from the front costs O(1).
 */
import { WsmError } from '../../common/errors.ts';
import type { OutgoingData } from '../../adapters/contract.ts';

/**
 * The bounds of what a socket holds for the app: the messages queued while no socket is open,
 * plus, while one is, those written and not yet confirmed (in flight).
 */
export interface OutboxOptions {
  /** The most messages held, queued and in flight together. @default 10000 */
  readonly maxMessages?: number;
  /** The most bytes held (UTF-8 for text), queued and in flight together. @default 1048576 (1 MiB) */
  readonly maxBytes?: number;
}

export const OUTBOX_DEFAULTS = { maxMessages: 10_000, maxBytes: 1_048_576 } as const;

/** Node's native UTF-8 length when there is one (a browser counts below). */
const nativeByteLength = typeof Buffer === 'function' ? (text: string) => Buffer.byteLength(text) : undefined;

/** The size of a message on the wire (payload bytes), without encoding it. */
export function byteSize(data: OutgoingData): number {
  if (typeof data !== 'string') return data.byteLength;
  if (nativeByteLength) return nativeByteLength(data);
  let bytes = 0;
  for (let i = 0; i < data.length; i++) {
    const unit = data.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < data.length) {
      const next = data.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export class Outbox {
  readonly maxMessages: number;
  readonly maxBytes: number;
  #items: OutgoingData[] = [];
  /** Each message's size, measured once at `push`. */
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;

  constructor(options: OutboxOptions = {}) {
    this.maxMessages = options.maxMessages ?? OUTBOX_DEFAULTS.maxMessages;
    this.maxBytes = options.maxBytes ?? OUTBOX_DEFAULTS.maxBytes;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Queues `data` at the tail, or throws `WSM_OUTBOX_FULL` without taking it (an empty outbox takes any one). */
  push(data: OutgoingData, size = byteSize(data)): void {
    if (this.length > 0 && (this.length + 1 > this.maxMessages || this.#bytes + size > this.maxBytes)) {
      throw new WsmError(
        'WSM_OUTBOX_FULL',
        `wsmachine: outbox full (${this.length} messages, ${this.#bytes} bytes; bounds ${this.maxMessages} messages, ` +
          `${this.maxBytes} bytes): the message of ${size} bytes was not queued`,
      );
    }
    this.#items.push(data);
    this.#sizes.push(size);
    this.#bytes += size;
  }

  /** Puts `items` back at the head, in their order, whatever the bound. */
  unshift(items: readonly OutgoingData[]): void {
    if (items.length === 0) return;
    const sizes = items.map(byteSize);
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#sizes = [...sizes, ...this.#sizes.slice(this.#head)];
    this.#head = 0;
    for (const size of sizes) this.#bytes += size;
  }

  /** Writes from the head while `write` (given each message and its size) accepts; returns how many were written. */
  drain(write: (data: OutgoingData, size: number) => boolean): number {
    let written = 0;
    while (this.#head < this.#items.length) {
      const data = this.#items[this.#head] as OutgoingData;
      const size = this.#sizes[this.#head] as number;
      if (!write(data, size)) break;
      this.#items[this.#head] = '';
      this.#head++;
      this.#bytes -= size;
      written++;
    }
    this.#compact();
    return written;
  }

  /** Empties the outbox and returns what it held, oldest first. */
  takeAll(): OutgoingData[] {
    const items = this.#items.slice(this.#head);
    this.#items = [];
    this.#sizes = [];
    this.#head = 0;
    this.#bytes = 0;
    return items;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#sizes = [];
      this.#head = 0;
    }
  }
}
