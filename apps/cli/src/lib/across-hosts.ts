/** One host's outcome when a command reads several at once: its value, or the error that stopped it. */
export type HostOutcome<T> = { name: string; address: string; value: T } | { name: string; address: string; error: { code: string; message: string } };

/**
 * Run `read` on every bcon.yaml host at the same time. A host that fails is reported in its place with the
 * error's code and message; it never stops the others.
 */
export async function acrossHosts<T>(hosts: Record<string, string>, read: (name: string, address: string) => Promise<T>): Promise<Array<HostOutcome<T>>> {
  return Promise.all(
    Object.entries(hosts).map(async ([name, address]) => {
      try {
        return { name, address, value: await read(name, address) };
      } catch (err) {
        return { name, address, error: { code: (err as { code?: string }).code ?? 'internal', message: (err as Error).message } };
      }
    }),
  );
}
