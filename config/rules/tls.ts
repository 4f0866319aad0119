// Which fields each TLS mode carries is the schema's job; what remains spans fields of one mode.
import { RESERVED_SECRETS } from "../../policy-pack/contract";
import { ParsedBlueprintConfig } from "../schema";
import { Problem, problem } from "../problem";

/** Secrets the blueprint writes in the control-plane namespace, which an application certificate must not replace. */
const BLUEPRINT_SECRETS: readonly string[] = RESERVED_SECRETS;

export function tlsProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const tls = cfg.tls;
  if (tls.mode !== "private-ca") return [];
  const problems: Problem[] = [];
  tls.applicationCertificates.forEach((app, i) => {
    if (app.namespace === cfg.controlPlane.namespace && BLUEPRINT_SECRETS.includes(app.name)) {
      problems.push(
        problem(
          `tls.applicationCertificates[${i}].name`,
          `"${app.name}" is a Secret the blueprint writes in ${app.namespace}; choose another name`,
        ),
      );
    }
  });
  if (tls.caValidityHours <= tls.validityHours) {
    problems.push(
      problem(
        "tls.caValidityHours",
        `must exceed tls.validityHours (${tls.validityHours}); a certificate cannot outlive its CA`,
      ),
    );
  }
  if (tls.earlyRenewalHours >= tls.validityHours) {
    problems.push(
      problem(
        "tls.earlyRenewalHours",
        `must be less than tls.validityHours (${tls.validityHours}), or every update reissues the certificate`,
      ),
    );
  }
  return problems;
}
