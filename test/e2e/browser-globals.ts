/**
 * The browser globals that the page scripts in these tests use. The test program is compiled for
 * Node (no DOM library), so each `page.evaluate` callback starts with
 * `const w = globalThis as unknown as BrowserGlobals` — a cast that vanishes when the function is
 * sent to the page.
 */
export interface BrowserElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly offsetParent: unknown;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  closest(selector: string): BrowserElement | null;
  querySelector(selector: string): BrowserElement | null;
  blur(): void;
}

export interface AxeResult {
  readonly violations: readonly { id: string; impact: string | null; help: string; nodes: readonly { target: readonly string[] }[] }[];
}

export interface BrowserGlobals {
  readonly document: {
    readonly activeElement: BrowserElement | null;
    querySelectorAll(selector: string): Iterable<BrowserElement>;
  };
  readonly axe: { run(context: unknown, options: unknown): Promise<AxeResult> };
  requestAnimationFrame(cb: (t: number) => void): number;
  fetch(url: string): Promise<{ status: number }>;
  __frames: number[];
  __stop: boolean;
}
