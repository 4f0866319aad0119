// coderd needs its database, and the URL it connects with must say the TLS mode the stack promises.
import { ParsedBlueprintConfig } from "../schema";
import { configKey, Problem, problem } from "../problem";

function urlParam(url: string, name: string): string | undefined {
  const query = url.split("?")[1] ?? "";
  for (const pair of query.split("&")) {
    const [k, v] = pair.split("=");
    if (k === name) return decodeURIComponent(v ?? "");
  }
  return undefined;
}

export function databaseProblems(cfg: ParsedBlueprintConfig): Problem[] {
  const db = cfg.database;
  if (!db) {
    if (!cfg.coder.enabled) return [];
    return [
      problem(
        "database",
        "required while coder.enabled is true; set database.egress in the stack file and the URL with: " +
          `pulumi config set --secret --path '${configKey("database.connectionUrl")}' 'postgres://...?sslmode=verify-full'`,
      ),
    ];
  }
  if (db.connectionUrl === undefined) {
    // On eks the URL is the RDS instance's (blueprint.ts); elsewhere the operator sets it as a secret.
    if (cfg.cluster.target === "eks") return [];
    return [
      problem(
        "database.connectionUrl",
        "required secret, not set; run: " +
          `pulumi config set --secret --path '${configKey("database.connectionUrl")}' 'postgres://...?sslmode=${db.sslMode}'`,
      ),
    ];
  }
  const mode = urlParam(db.connectionUrl, "sslmode");
  if (mode === db.sslMode) return [];
  return [
    problem(
      "database.connectionUrl",
      `its sslmode is ${mode ? `"${mode}"` : "not set"} but database.sslMode is "${db.sslMode}"; ` +
        `add ?sslmode=${db.sslMode} to the URL (verify-full checks the server certificate and host name)`,
    ),
  ];
}
