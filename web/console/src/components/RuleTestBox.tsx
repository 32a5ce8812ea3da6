/** Placeholder for the rule test box (the dry run), which its branch builds; the rule screen mounts it. */
export function RuleTestBox(_: { onPickRule?: (ruleId: number) => void }) {
  return null;
}
