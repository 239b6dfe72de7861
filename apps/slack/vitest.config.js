import { bconVitest } from '@bcon/vitest-config';

export default bconVitest();
