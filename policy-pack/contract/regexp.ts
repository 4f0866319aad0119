// Text placed inside a regular expression, matching itself only: image prefixes, Go's \Q...\E literals.

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
