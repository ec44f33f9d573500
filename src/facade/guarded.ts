/**
 * The app's callbacks that run inside the machine or on the data path (`trace`, `clock.now`,
 * `inspect`), wrapped: a throw, a rejection or a nonsense answer becomes a `WSM_CALLBACK_ERROR`
 * report, and the socket carries on (XState would stop an actor whose clock or inspector threw).
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { Provider } from '../../adapters/contract.ts';
import { show } from '../../common/checks.ts';
import { callbackError, catchRejection, WsmError } from '../../common/errors.ts';
import { scrubber, secretsOf } from '../../common/redact.ts';

type Report = (error: WsmError) => void;

/** Calls `fn`; a throw or a rejection goes to `report` as the failure of callback `name`. */
function guarded<A extends unknown[]>(name: string, fn: (...args: A) => unknown, report: Report): (...args: A) => void {
  const failed = (error: unknown): void => report(callbackError(name, error));
  return (...args) => {
    try {
      catchRejection(fn(...args), failed);
    } catch (error) {
      failed(error);
    }
  };
}

/** The trace as a function that redacts the URL's and headers' secrets from every line. */
export function traceSink(
  trace: true | ((line: string) => unknown),
  url: Provider<string | URL>,
  headers: Readonly<Record<string, string>>,
  report: Report,
): (line: string) => void {
  const write = trace === true ? (line: string) => console.error(line) : trace;
  const scrub = scrubber(secretsOf(typeof url === 'function' ? undefined : url, headers));
  const call = guarded('trace', write, report);
  return (line) => call(`wsmachine: ${scrub(line)}`);
}

/** The clock's `now`, which may not throw into a socket's event handler: a failure reads Date.now. */
export function guardedNow(now: () => number, report: Report): () => number {
  return () => {
    let value: unknown;
    try {
      value = now();
    } catch (error) {
      report(callbackError('clock.now', error));
      return Date.now();
    }
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    report(
      new WsmError('WSM_CALLBACK_ERROR', `wsmachine: clock.now must return a time in ms, got ${show(value)}`, { option: 'clock.now' }),
    );
    return Date.now();
  };
}

/** The inspect option as a function that cannot throw into the actor. */
export function guardedInspector(
  inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => unknown),
  report: Report,
): (event: InspectionEvent) => void {
  return guarded('inspect', (event: InspectionEvent) => (typeof inspect === 'function' ? inspect(event) : inspect.next?.(event)), report);
}
