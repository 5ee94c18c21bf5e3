/**
 * What a service opened, closed in reverse order of opening — also when starting
 * fails half-way, so a failed start leaves no connection or timer behind.
 */
export class Closers {
  private readonly closers: Array<() => Promise<unknown>> = [];

  add(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}
