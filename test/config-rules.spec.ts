// Each rule module on its own: a parsed, compliant stack config, one thing changed, the problem named.
import * as assert from "assert";
import { Problem } from "../config/problem";
import { coderProblems } from "../config/rules/coder";
import { databaseProblems } from "../config/rules/database";
import { gitProblems } from "../config/rules/git";
import { namespaceProblems } from "../config/rules/namespaces";
import { networkProblems } from "../config/rules/network";
import { storageProblems } from "../config/rules/storage";
import { tlsProblems } from "../config/rules/tls";
import { RULES } from "../config/rules";
import { SHIPPED_STACKS, stackConfig } from "./harness/stacks";

const compliant = (): any => structuredClone(stackConfig("local"));

function only(problems: Problem[], key: string): string {
  assert.deepStrictEqual(
    problems.map((p) => p.key),
    [key],
  );
  return problems[0].message;
}

describe("configuration rules", () => {
  it("find nothing in any shipped stack", () => {
    for (const stack of SHIPPED_STACKS) {
      const cfg = stackConfig(stack);
      assert.deepStrictEqual(
        RULES.flatMap((rule) => rule(cfg)),
        [],
        stack,
      );
    }
  });

  describe("namespaces", () => {
    it("reports a workspace namespace reused, naming the first user with its prefix", () => {
      const cfg = compliant();
      cfg.workspaces.namespaces = ["coder-workspaces", "coder-workspaces"];
      assert.match(
        only(namespaceProblems(cfg), "workspaces.namespaces[1]"),
        /coder-blueprint:workspaces\.namespaces\[0\]/,
      );
    });

    it("reports the control plane in a namespace of Kubernetes' own", () => {
      const cfg = compliant();
      cfg.controlPlane.namespace = "default";
      assert.match(only(namespaceProblems(cfg), "controlPlane.namespace"), /belongs to Kubernetes/);
    });
  });

  describe("network", () => {
    it("reports an allowlist kept while workspace egress is not in allowlist mode", () => {
      const cfg = compliant();
      cfg.network.workspaceEgress.mode = "open";
      assert.match(only(networkProblems(cfg), "network.workspaceEgress.allow"), /\(it is "open"\)/);
    });

    it("reports a coderd egress rule into the cluster ranges, but not one to the API server", () => {
      const cfg = compliant();
      cfg.network.coderdEgress = [{ cidr: "172.18.0.0/24", ports: [443], protocol: "TCP" }];
      assert.deepStrictEqual(networkProblems(cfg), []);
      cfg.network.coderdEgress.push({ cidr: "10.96.0.0/16", ports: [443], protocol: "TCP" });
      assert.match(only(networkProblems(cfg), "network.coderdEgress[1].cidr"), /lies inside 10\.96\.0\.0\/12/);
    });

    it("reports a monitoring namespace that the blueprint manages", () => {
      const cfg = compliant();
      cfg.network.monitoringNamespace = "coder";
      assert.match(only(networkProblems(cfg), "network.monitoringNamespace"), /Prometheus/);
    });
  });

  describe("coder", () => {
    it("asks nothing of coderd's network when Coder is disabled", () => {
      const cfg = compliant();
      cfg.network.kubernetesApi.cidrs = [];
      cfg.network.coderIngress = { cidrs: [], namespaces: [] };
      assert.strictEqual(coderProblems(cfg).length, 2);
      cfg.coder.enabled = false;
      assert.deepStrictEqual(coderProblems(cfg), []);
    });
  });

  describe("storage", () => {
    it("reports the blueprint's own class among the classes to demote", () => {
      const cfg = compliant();
      cfg.storage.demoteDefaultClasses.push(cfg.storage.workspaceClass.name);
      assert.match(only(storageProblems(cfg), "storage.demoteDefaultClasses"), /"coder-local"/);
    });

    it("accepts an unattested class that is not the default", () => {
      const cfg = compliant();
      cfg.storage.workspaceClass.encryptedAtRest = false;
      assert.strictEqual(storageProblems(cfg).length, 1);
      cfg.storage.workspaceClass.makeDefault = false;
      assert.deepStrictEqual(storageProblems(cfg), []);
    });
  });

  describe("tls", () => {
    it("reports an application certificate over a Secret the blueprint writes, only in its namespace", () => {
      const cfg = compliant();
      cfg.tls.applicationCertificates = [{ name: "coder-tls", namespace: "databases", dnsNames: ["db"] }];
      assert.deepStrictEqual(tlsProblems(cfg), []);
      cfg.tls.applicationCertificates[0].namespace = "coder";
      assert.match(only(tlsProblems(cfg), "tls.applicationCertificates[0].name"), /Secret the blueprint writes/);
    });

    it("has nothing to check when coderd's certificate comes from config", () => {
      const cfg = compliant();
      cfg.tls = { mode: "provided", provided: { certificate: "c", privateKey: "k" }, trustedCaCertificates: [] };
      assert.deepStrictEqual(tlsProblems(cfg), []);
    });
  });

  describe("database", () => {
    it("reports a URL whose sslmode differs from the configured one", () => {
      const cfg = compliant();
      cfg.database.sslMode = "verify-ca";
      assert.match(only(databaseProblems(cfg), "database.connectionUrl"), /add \?sslmode=verify-ca/);
    });

    it("needs no database when Coder is disabled", () => {
      const cfg = compliant();
      delete cfg.database;
      assert.strictEqual(databaseProblems(cfg).length, 1);
      cfg.coder.enabled = false;
      assert.deepStrictEqual(databaseProblems(cfg), []);
    });
  });

  describe("git", () => {
    it("reports a provider id used twice", () => {
      const cfg = compliant();
      const provider = { id: "gh", type: "github", clientId: "a", clientSecret: "b", egressCidrs: [] };
      cfg.gitProviders = [provider, { ...provider, type: "gitlab" }];
      assert.match(only(gitProblems(cfg), "gitProviders[1].id"), /used twice/);
    });
  });
});
