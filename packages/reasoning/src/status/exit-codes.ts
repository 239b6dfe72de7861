/** What a container's exit code usually means (shell and signal conventions). */
export function explainExitCode(code: number): string | undefined {
  switch (code) {
    case 0:
      return 'completed';
    case 125:
      return 'the engine could not run the container';
    case 126:
      return 'command not executable';
    case 127:
      return 'command not found';
    case 134:
      return 'aborted (SIGABRT)';
    case 137:
      return 'killed (SIGKILL)';
    case 139:
      return 'segmentation fault (SIGSEGV)';
    case 143:
      return 'terminated (SIGTERM)';
    default:
      return code > 128 && code < 160 ? `killed by signal ${code - 128}` : undefined;
  }
}
