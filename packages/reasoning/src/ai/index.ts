// @bcon/reasoning/ai — the one gateway to a model (OpenAI-compatible), redaction, evidence-grounded explanations,
// the read-only `ask` loop, and prices. Apart from the main entry so that commands without AI never load it.
export type { LlmSettings } from './config.js';
export { LlmConfigSchema, ignoredRepositoryLlmSettings, resolveLlmSettings } from './config.js';
export { AiConfigError, AiInvalidAnswerError, AiUnavailableError } from './errors.js';
export type { ChatMessage, LlmCache, LlmCallRecord, LlmLedger, StructuredResult, TaskType, ToolSpec, UsageGate } from './gateway.js';
export { ALLOW_ALL, LlmGateway, TASK_TYPES, estimateTokens } from './gateway.js';
export { extractJson } from './json-answer.js';
export type { Price, PriceTable } from './prices.js';
export { DEFAULT_PRICES, costOf, isLocalEndpoint, priceOf } from './prices.js';
export { Redactor, entropy } from './redactor.js';
export type { AiSection } from './explain.js';
export { AI_DIAGNOSIS_JSON_SCHEMA, AiDiagnosisAnswerSchema, diagnosisDigest, diagnosisRequest, explainDiagnosis, seedRedactor, validateAiHypotheses } from './explain.js';
export { FENCE_RULE, dataJson, fence, fenceTags, fenced } from './fence.js';
export type { AskLimits, AskResult, AskStep, AskTool } from './ask.js';
export { DEFAULT_ASK_LIMITS, askLoop, toolResultContent } from './ask.js';
