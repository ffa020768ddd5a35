/** A Markdown table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A Markdown table, one line per row, columns aligned left ("l") or right ("r"). */
export function markdownTable(
  header: readonly string[],
  align: readonly ("l" | "r")[],
  rows: readonly (readonly string[])[],
): string {
  const rule = align.map((side) => (side === "r" ? "---:" : "---"));
  return [header, rule, ...rows].map((row) => `| ${row.map(cell).join(" | ")} |`).join("\n");
}
