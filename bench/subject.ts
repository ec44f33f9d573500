/**
 * The library as its users run it: the compiled `dist/` (each bench script builds it first), typed
 * by the sources. Loading the sources through tsx instead would measure tsx's transform: its
 * `keepNames` redefines every function's `name`, which turns each closure into a dictionary-mode
 * object (about 2 KiB more heap per connection than the built code).
 */
const load = async <T>(path: string): Promise<T> => (await import(new URL(path, import.meta.url).href)) as T;

export const wsmachine = await load<typeof import('../src/index.ts')>('../dist/src/index.js');
export const machine = await load<typeof import('../src/machine.ts')>('../dist/src/machine.js');
