/** bcon's own configuration, at the root of the desired-state repository. */
export const BCON_CONFIG_FILE = 'bcon.yaml';
