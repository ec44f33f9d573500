/**
 * One async iterator over a socket's messages (`for await (const m of socket)`): what it has not
 * yet taken, and the `next()` calls waiting for a message. It ends when the socket closes for good
 * or the loop breaks (`return`).
 */
import type { IncomingData } from './events.ts';

export class MessageQueue implements AsyncIterator<IncomingData> {
  #buffer: IncomingData[] = [];
  #waiting: ((result: IteratorResult<IncomingData>) => void)[] = [];
  #ended = false;

  constructor(private readonly onEnd: () => void) {}

  push(data: IncomingData): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter({ value: data, done: false });
    else this.#buffer.push(data);
  }

  end(): void {
    this.#ended = true;
    this.onEnd();
    for (const waiter of this.#waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<IncomingData>> {
    if (this.#buffer.length > 0) return Promise.resolve({ value: this.#buffer.shift() as IncomingData, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  return(): Promise<IteratorResult<IncomingData>> {
    this.#buffer = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }
}
