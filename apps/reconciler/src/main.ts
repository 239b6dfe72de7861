#!/usr/bin/env node
// The level 3 reconciler (watch desired state, converge with guardrails) is not built yet.
process.stderr.write('bcon-reconciler: not available yet; it arrives with level 3 (execute with guardrails)\n');
process.exitCode = 2;
