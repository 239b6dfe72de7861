import type { ServiceSpec } from './service-spec.js';

/**
 * Why bcon will not make a container of this service from the committed files itself (then `docker compose up -d
 * <service>` does it); undefined when every setting the files give it is one bcon renders exactly as compose would.
 */
export function whyNotRenderable(spec: ServiceSpec): string | undefined {
  if (spec.unrendered.length) return `its compose settings ${spec.unrendered.slice(0, 4).join(', ')}${spec.unrendered.length > 4 ? ', …' : ''} are not ones bcon renders`;
  if (!spec.image) return 'it names no image';
  if (spec.volumesFrom || spec.managedMountTargets.length) return "it takes secrets, configs or another container's volumes";
  return undefined;
}
