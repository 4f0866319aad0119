// The class that receives every workspace home volume must be encrypted, and must stay the default.
import { ParsedBlueprintConfig } from "../schema";
import { Problem, problem } from "../problem";

export function storageProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const problems: Problem[] = [];
  const wc = cfg.storage.workspaceClass;
  if (wc.driver === "custom" && wc.makeDefault && !wc.encryptedAtRest) {
    problems.push(
      problem(
        "storage.workspaceClass.makeDefault",
        "the default class receives every workspace home volume, so it must be encrypted; " +
          "set encryptedAtRest: true if the provisioner's disks are encrypted, or makeDefault: false",
      ),
    );
  }
  if (cfg.storage.demoteDefaultClasses.includes(wc.name)) {
    problems.push(
      problem("storage.demoteDefaultClasses", `lists "${wc.name}", the blueprint's own workspace class; remove it`),
    );
  }
  return problems;
}
