/** Resolves after the event loop has had a turn (I/O callbacks ran): what chunked background work awaits between chunks. */
export const turnOfEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
