// The checks that span several settings, which a per-field schema cannot express. Each is a pure
// function of the parsed config; the loader runs them all and reports every problem at once.
import { ParsedBlueprintConfig } from "../schema";
import { Problem, Rule } from "../problem";
import { awsProblems } from "./aws";
import { coderProblems } from "./coder";
import { databaseProblems } from "./database";
import { gitProblems } from "./git";
import { namespaceProblems } from "./namespaces";
import { networkProblems } from "./network";
import { storageProblems } from "./storage";
import { tlsProblems } from "./tls";

export const RULES: ReadonlyArray<Rule<ParsedBlueprintConfig>> = [
  namespaceProblems,
  networkProblems,
  coderProblems,
  storageProblems,
  tlsProblems,
  databaseProblems,
  gitProblems,
  awsProblems,
];

export function crossFieldProblems(cfg: ParsedBlueprintConfig): Problem[] {
  return RULES.flatMap((rule) => rule(cfg));
}
