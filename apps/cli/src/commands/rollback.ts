import { Args, Flags } from '@oclif/core';
import Deploy from './deploy.js';

export default class Rollback extends Deploy {
  static override summary = 'Roll a service back to the image kept by its last bcon deploy (keep_previous), with its rollback_config.';
  static override description = `The previous image of a service (by id, kept and tagged bcon-previous/<project>-<service>:1 by bcon deploy) is deployed
back with the service's deploy.rollback_config (else update_config), health-gated like any deploy. --image names another.`;
  static override examples = ['<%= config.bin %> rollback web --yes', '<%= config.bin %> rollback web --yes --json'];
  static override args = { service: Args.string({ description: 'The compose service.', required: true }) };
  static override flags = {
    image: Flags.string({ description: 'The image to go back to (default: the kept previous image).' }),
    strategy: Flags.string({ description: 'rolling, canary or blue-green.', options: ['rolling', 'canary', 'blue-green'] }),
    repo: Flags.string({ description: 'The compose repository (default: the working directory).' }),
    file: Flags.string({ description: 'The compose file (default: compose.yaml or its older names in the repository).' }),
    yes: Flags.boolean({ description: 'Run it without asking (up to the notify tier).', default: false }),
    actor: Flags.string({ description: 'Who deploys (default: BCON_ACTOR, else user/<login>).' }),
  };

  protected override rollback = true;
}
