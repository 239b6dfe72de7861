#!/usr/bin/env node
import { execute } from '@oclif/core';

// No user-installed oclif plugins: bcon reads nothing from ~/.local/share/bcon and loads only its own commands.
await execute({ loadOptions: { root: new URL('..', import.meta.url).pathname, userPlugins: false } });
