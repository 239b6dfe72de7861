/** One server-sent event: its name and JSON data (redacted before it is written). */
export interface HubEvent {
  event: string;
  data: unknown;
}

/** Fan-out of live events (board refreshes, approval progress and results) to every open event stream. */
export class EventHub {
  private readonly listeners = new Set<(e: HubEvent) => void>();

  subscribe(listener: (e: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  emit(event: string, data: unknown): void {
    for (const l of this.listeners) l({ event, data });
  }
}
