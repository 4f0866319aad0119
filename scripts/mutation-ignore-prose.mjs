// A Stryker ignorer (stryker.config.mjs `ignorers`) for text written for people rather than read by code: the
// `.describe(...)` of each configuration setting, and the description, remediation and "forbids" prose and the
// reference IDs (CIS, Kyverno and other citations) of each policy. All of it runs while modules load, so every mutant of it costs a fresh test worker, and what such a
// mutant changes is wording (where it is published, in the README's configuration table and the pack README's
// policy table, the generated-docs checks pin it as text). Stryker reports these mutants as Ignored, with this
// reason, and leaves them out of the score.
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const REASON = "prose for readers (a setting's or a policy's description, a policy's citations), not behaviour";
// Policy metadata and config-schema keys whose values are only shown to people.
const PROSE_KEYS = new Set(["description", "remediationSteps", "forbids", "references"]);

const isDescribeArgument = (path) => {
  const call = path.parentPath;
  if (!call?.isCallExpression() || !call.node.arguments.includes(path.node)) return false;
  const callee = call.node.callee;
  return (
    callee.type === "MemberExpression" && callee.property.type === "Identifier" && callee.property.name === "describe"
  );
};

const isPolicyProse = (path) => {
  const property = path.parentPath;
  if (!property?.isObjectProperty() || property.node.value !== path.node) return false;
  const key = property.node.key;
  const name = key.type === "Identifier" ? key.name : key.type === "StringLiteral" ? key.value : undefined;
  if (!PROSE_KEYS.has(name)) return false;
  return Boolean(
    path.findParent(
      (p) => p.isCallExpression() && p.node.callee.type === "Identifier" && p.node.callee.name === "definePolicy",
    ),
  );
};

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "prose", {
    shouldIgnore: (path) => (isDescribeArgument(path) || isPolicyProse(path) ? REASON : undefined),
  }),
];
