/**
 * Delivery accounting: which written messages the server is known to have received.
 *
 * Theory of operation: what a transport wrote stays "in flight" until the pong of a later numbered
 * ping confirms it (the pong travelled behind it), or a close handshake that we started completes.
 * When the transport ends without that proof, the in-flight messages come back from `end` to be
 * reported (`unconfirmed`) and, with `resendUnconfirmed`, queued again. The cost on the data path
 * is one array push per message.
 */
import type { OutgoingData } from '../../adapters/contract.ts';

export class DeliveryLedger {
  // Messages written since the last confirmed ping, the running count of the first of them, and
  // the write count at each outstanding ping.
  #inFlight: OutgoingData[] = [];
  #base = 0;
  #marks = new Map<number, number>();
  #counts = { confirmed: 0, unconfirmed: 0, resent: 0 };

  /** A message went into the current transport; returns how many are in flight now. */
  written(data: OutgoingData): number {
    return this.#inFlight.push(data);
  }

  /** Ping `seq` went out behind everything written so far. */
  pinged(seq: number): void {
    this.#marks.set(seq, this.#base + this.#inFlight.length);
  }

  /** The pong of ping `seq` arrived: what was written before that ping is confirmed. */
  ponged(seq: number): void {
    const upTo = this.#marks.get(seq);
    if (upTo === undefined) return;
    for (const key of this.#marks.keys()) if (key <= seq) this.#marks.delete(key);
    const count = upTo - this.#base;
    if (count <= 0) return;
    this.#inFlight.splice(0, count);
    this.#base = upTo;
    this.#counts.confirmed += count;
  }

  /**
   * The transport is gone. `clean` (our close handshake completed) confirms everything; otherwise
   * the in-flight messages are returned, counted unconfirmed (and resent, when `resent`).
   */
  end(clean: boolean, resent: boolean): readonly OutgoingData[] {
    const messages = this.#inFlight;
    this.#inFlight = [];
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
  stats(): { inFlight: number; confirmed: number; unconfirmed: number; resent: number } {
    return { inFlight: this.#inFlight.length, ...this.#counts };
  }
}
