/**
 * The JSON inside a model's answer: the whole text, else a ```json fence, else the outermost {...}. Undefined when
 * there is none. (Servers without json_schema support wrap JSON in prose and fences.)
 */
export function extractJson(text: string): unknown {
  const attempts = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1]) attempts.push(fence[1].trim());
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) attempts.push(text.slice(start, end + 1));
  for (const a of attempts) {
    try {
      return JSON.parse(a) as unknown;
    } catch {
      /* next */
    }
  }
  return undefined;
}
