import type { z } from 'zod';

/** A failed parse as one line: the dotted path of the first bad field, then zod's message. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || 'file';
  return `${field}: ${issue?.message ?? 'invalid'}`;
}
