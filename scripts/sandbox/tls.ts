// The @pulumi/tls provider cannot be built offline (it sits on the Terraform bridge), so the e2e stack and
// the sandbox use tls.mode "provided" with a certificate made here by openssl; the rest of the chain is real.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export function servingCertificate(dir: string, host: string): { certificate: string; privateKey: string } {
  const key = path.join(dir, "tls.key");
  const crt = path.join(dir, "tls.crt");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${host}`,
      "-addext",
      `subjectAltName=DNS:${host},DNS:*.${host}`,
      "-keyout",
      key,
      "-out",
      crt,
    ],
    { stdio: "ignore" },
  );
  return { certificate: fs.readFileSync(crt, "utf8"), privateKey: fs.readFileSync(key, "utf8") };
}
