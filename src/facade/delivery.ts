/**
 * Delivery accounting: which written messages the server is known to have received.
 *
 * Theory of operation: what a transport wrote stays "in flight" until the pong of a later numbered
 * ping confirms it (the pong travelled behind it), or a close handshake that we started completes.
 * When the transport ends without that proof, the in-flight messages come back from `end` to be
 * reported (`unconfirmed`) and, with `resendUnconfirmed`, queued again. The cost on the data path
 * is two array pushes per message (the message and its size, for the bound the socket keeps).
 * Where nothing can confirm (no heartbeat, and pings that need the server's cooperation), the
 * socket writes nothing here: holding every message of a connection that lasts months would leak.
 */
import type { OutgoingData } from '../../adapters/contract.ts';

export class DeliveryLedger {
  // Messages written since the last confirmed ping, the running count of the first of them, and
  // the write count at each outstanding ping.
  #inFlight: OutgoingData[] = [];
  #sizes: number[] = [];
  #bytes = 0;
  #base = 0;
  #marks = new Map<number, number>();
  #counts = { confirmed: 0, unconfirmed: 0, resent: 0 };

  /** Messages in flight. */
  get count(): number {
    return this.#inFlight.length;
  }

  /** Their bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** A message of `size` bytes went into the current transport. */
  written(data: OutgoingData, size: number): void {
    this.#inFlight.push(data);
    this.#sizes.push(size);
    this.#bytes += size;
  }

  /** Ping `seq` went out behind everything written so far. */
  pinged(seq: number): void {
    this.#marks.set(seq, this.#base + this.#inFlight.length);
  }

  /** The pong of ping `seq` arrived: what was written before that ping is confirmed. */
  ponged(seq: number): boolean {
    const upTo = this.#marks.get(seq);
    if (upTo === undefined) return false;
    for (const key of this.#marks.keys()) if (key <= seq) this.#marks.delete(key);
    const count = upTo - this.#base;
    if (count <= 0) return true;
    this.#inFlight.splice(0, count);
    for (const size of this.#sizes.splice(0, count)) this.#bytes -= size;
    this.#base = upTo;
    this.#counts.confirmed += count;
    return true;
  }

  /**
   * The transport is gone. `clean` (our close handshake completed) confirms everything; otherwise
   * the in-flight messages are returned, counted unconfirmed (and resent, when `resent`).
   */
  end(clean: boolean, resent: boolean): readonly OutgoingData[] {
    const messages = this.#inFlight;
    this.#inFlight = [];
    this.#sizes = [];
    this.#bytes = 0;
    this.#base = 0;
    this.#marks.clear();
    if (messages.length === 0) return messages;
    if (clean) {
      this.#counts.confirmed += messages.length;
      return [];
    }
    this.#counts.unconfirmed += messages.length;
    if (resent) this.#counts.resent += messages.length;
    return messages;
  }

  /** The figures for `stats`. */
  stats(): { inFlight: number; inFlightBytes: number; confirmed: number; unconfirmed: number; resent: number } {
    return { inFlight: this.#inFlight.length, inFlightBytes: this.#bytes, ...this.#counts };
  }
}
