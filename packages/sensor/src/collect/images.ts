import type { EngineClient } from '../engine/client.js';
import { mapLimit } from '../util/pool.js';

/** What an image brings to a container by default: drift ignores what came from here. */
export interface ImageFacts {
  id: string;
  repoTags: string[];
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  labels: Record<string, string>;
  volumes: string[];
  healthcheck: string[] | undefined;
}

/** Inspect images by id or reference (each once, concurrently); absent ones are left out. */
export async function collectImages(client: EngineClient, refs: Iterable<string>, options: { concurrency?: number } = {}): Promise<Map<string, ImageFacts>> {
  const unique = [...new Set(refs)];
  const found = await mapLimit(unique, options.concurrency ?? 16, (ref) => client.inspectImage(ref));
  const out = new Map<string, ImageFacts>();
  found.forEach((img, i) => {
    if (!img) return;
    out.set(unique[i] as string, {
      id: img.Id,
      repoTags: img.RepoTags ?? [],
      env: img.Config?.Env ?? [],
      cmd: img.Config?.Cmd ?? null,
      entrypoint: img.Config?.Entrypoint ?? null,
      labels: img.Config?.Labels ?? {},
      volumes: Object.keys(img.Config?.Volumes ?? {}),
      healthcheck: img.Config?.Healthcheck?.Test,
    });
  });
  return out;
}
