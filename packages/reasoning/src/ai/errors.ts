/** The model could not be used (not configured, down, slow, refused by the usage gate): the deterministic result stands. */
export class AiUnavailableError extends Error {
  readonly code: string;
  constructor(message: string, code: 'ai_off' | 'ai_unreachable' | 'ai_timeout' | 'ai_http' | 'ai_denied' = 'ai_unreachable', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The model answered, twice, with something that is not the JSON asked for: the answer is dropped. */
export class AiInvalidAnswerError extends Error {
  readonly code = 'ai_invalid_answer';
}

/** bcon.yaml's `llm:` section or the BCON_LLM_* variables are wrong. */
export class AiConfigError extends Error {
  readonly code = 'ai_config';
  readonly exitCode = 2;
}
