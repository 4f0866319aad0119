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

  it("word each problem in full, with its fix", () => {
    const cfg = compliant();
    cfg.oidc = { issuerUrl: "https://idp.example.com", allowedGroups: ["devs"] };
    cfg.network.kubernetesApi.cidrs = [];
    cfg.network.coderIngress = { cidrs: [], namespaces: [] };
    cfg.network.coderdEgress = [];
    assert.deepStrictEqual(
      coderProblems(cfg).map((p) => p.message),
      [
        "required when oidc.allowedGroups is set (Coder refuses to start otherwise); name the ID-token claim " +
          "with the groups, e.g. groups, and add its scope to oidc.scopes",
        "coderd creates workspaces through the API server; list the API server endpoint addresses " +
          "(not the kubernetes Service IP)",
        `coderd must reach the OIDC issuer (https://idp.example.com) at start-up; list its address ranges on port 443`,
        "nobody outside the cluster could reach coderd; list the load balancer subnets (cidrs) " +
          "or the ingress controller's namespace (namespaces)",
      ],
    );
    const bb = { id: "bb", type: "bitbucket-server", clientId: "a", clientSecret: "b", egressCidrs: [] };
    assert.strictEqual(
      only(gitProblems({ ...compliant(), gitProviders: [bb] }), "gitProviders[0].authUrl"),
      "bitbucket-server is self-hosted; give authUrl and tokenUrl " +
        "(e.g. https://bitbucket.example.com/rest/oauth2/latest/authorize and …/token)",
    );
    const storage = compliant();
    storage.storage.workspaceClass.encryptedAtRest = false;
    assert.strictEqual(
      only(storageProblems(storage), "storage.workspaceClass.makeDefault"),
      "the default class receives every workspace home volume, so it must be encrypted; " +
        "set encryptedAtRest: true if the provisioner's disks are encrypted, or makeDefault: false",
    );
    const network = compliant();
    network.network.kubernetesApi.cidrs = ["10.0.0.0/8"];
    network.network.workspaceEgress.mode = "open";
    assert.deepStrictEqual(
      networkProblems(network).map((p) => p.message),
      [
        "10.0.0.0/8 contains the pod range 10.244.0.0/16, which would let coderd reach every workspace pod; " +
          "narrow it to the API server's or database's own subnets",
        'only used when network.workspaceEgress.mode is "allowlist" (it is "open"); ' +
          "remove the list or change the mode",
      ],
    );
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

    it("reports every namespace Kubernetes owns, in either role", () => {
      for (const reserved of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
        const cfg = compliant();
        cfg.workspaces.namespaces = ["coder-workspaces", reserved];
        assert.strictEqual(
          only(namespaceProblems(cfg), "workspaces.namespaces[1]"),
          `"${reserved}" belongs to Kubernetes itself; choose a namespace of Coder's own`,
        );
      }
    });

    it("reports a workspace namespace that is the control plane's", () => {
      const cfg = compliant();
      cfg.workspaces.namespaces = [cfg.controlPlane.namespace];
      assert.strictEqual(
        only(namespaceProblems(cfg), "workspaces.namespaces[0]"),
        'namespace "coder" is already used by coder-blueprint:controlPlane.namespace; ' +
          "each managed namespace must be unique",
      );
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

    it("reports the IPv6 metadata endpoint in any destination list, naming the rule and the range", () => {
      const cfg = compliant();
      cfg.network.workspaceEgress.allow.push({ cidr: "fd00:ec2::254/128", ports: [80], protocol: "TCP" });
      assert.strictEqual(
        only(networkProblems(cfg), "network.workspaceEgress.allow[1].cidr"),
        "fd00:ec2::254/128 lies inside fd00:ec2::254/128 (cloud metadata, the cluster's pod/service ranges, " +
          "or the API server/database only coderd may reach), which this rule must never open; remove it",
      );
      const coderd = compliant();
      coderd.network.coderdEgress = [{ cidr: "fd00:ec2::254/128", ports: [80], protocol: "TCP" }];
      assert.match(only(networkProblems(coderd), "network.coderdEgress[0].cidr"), /inside fd00:ec2::254\/128/);
    });

    it("lets coderd, but no workspace, reach the API server and the database", () => {
      const cfg = compliant();
      cfg.network.coderdEgress = [{ cidr: "172.18.0.0/24", ports: [443], protocol: "TCP" }];
      cfg.gitProviders = [
        { id: "gh", type: "github", clientId: "a", clientSecret: "b", egressCidrs: ["140.82.112.0/20"] },
      ];
      assert.deepStrictEqual(networkProblems(cfg), []);
      cfg.gitProviders[0].egressCidrs.push(cfg.database.egress[0].cidr);
      assert.match(only(networkProblems(cfg), "gitProviders[0].egressCidrs[1]"), /only coderd may reach/);
    });

    it("reports the later of two overlapping cluster ranges against the earlier", () => {
      const cfg = compliant();
      cfg.network.podCidrs = ["10.244.0.0/16", "10.96.0.0/16"];
      assert.strictEqual(
        only(networkProblems(cfg), "network.serviceCidrs[0]"),
        "10.96.0.0/12 overlaps coder-blueprint:network.podCidrs[1] (10.96.0.0/16); pod and service ranges " +
          "must be disjoint",
      );
    });

    it("accepts an empty allowlist outside allowlist mode", () => {
      const cfg = compliant();
      cfg.network.workspaceEgress = { mode: "open", allow: [] };
      assert.deepStrictEqual(networkProblems(cfg), []);
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

    it("asks for the group claim only when groups are allowed, and for coderd egress only with OIDC", () => {
      const cfg = compliant();
      cfg.oidc = { issuerUrl: "https://idp.example.com", allowedGroups: ["devs"], groupField: "groups" };
      cfg.network.coderdEgress = [{ cidr: "203.0.113.0/24", ports: [443], protocol: "TCP" }];
      assert.deepStrictEqual(coderProblems(cfg), []);
      cfg.network.coderdEgress = [];
      assert.strictEqual(
        only(coderProblems(cfg), "network.coderdEgress"),
        "coderd must reach the OIDC issuer (https://idp.example.com) at start-up; list its address ranges on port 443",
      );
      delete cfg.oidc;
      assert.deepStrictEqual(coderProblems(cfg), []);
    });

    it("refuses open OIDC sign-ups unless an email domain or a group limits them", () => {
      const cfg = compliant();
      cfg.network.coderdEgress = [{ cidr: "203.0.113.0/24", ports: [443], protocol: "TCP" }];
      const oidc = { issuerUrl: "https://idp.example.com", emailDomains: [], allowedGroups: [], allowSignups: true };
      cfg.oidc = { ...oidc };
      assert.strictEqual(
        only(coderProblems(cfg), "oidc.allowSignups"),
        "would let every account of the identity provider create a Coder user; limit sign-ups with " +
          "oidc.emailDomains or oidc.allowedGroups, or set allowSignups: false",
      );
      cfg.oidc = { ...oidc, emailDomains: ["example.com"] };
      assert.deepStrictEqual(coderProblems(cfg), []);
      cfg.oidc = { ...oidc, allowedGroups: ["devs"], groupField: "groups" };
      assert.deepStrictEqual(coderProblems(cfg), []);
      cfg.oidc = { ...oidc, allowSignups: false };
      assert.deepStrictEqual(coderProblems(cfg), []);
    });

    it("accepts coderd ingress from load balancer subnets alone or from a namespace alone", () => {
      const cfg = compliant();
      cfg.network.coderIngress = { cidrs: ["10.20.4.0/22"], namespaces: [] };
      assert.deepStrictEqual(coderProblems(cfg), []);
      cfg.network.coderIngress = { cidrs: [], namespaces: ["ingress-nginx"] };
      assert.deepStrictEqual(coderProblems(cfg), []);
    });

    it("asks for the access URL's subnets only behind an internal load balancer", () => {
      const cfg = compliant();
      cfg.network.accessUrlCidrs = [];
      cfg.coder.service.type = "LoadBalancer";
      assert.deepStrictEqual(coderProblems(cfg), []);
      cfg.coder.service.type = "InternalLoadBalancer";
      assert.match(only(coderProblems(cfg), "network.accessUrlCidrs"), /resolves to the internal load balancer/);
      cfg.network.accessUrlCidrs = ["10.20.4.0/22"];
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

  describe("tls lifetimes", () => {
    it("reports a CA that lives no longer than its certificates", () => {
      const cfg = compliant();
      cfg.tls.caValidityHours = cfg.tls.validityHours;
      assert.strictEqual(
        only(tlsProblems(cfg), "tls.caValidityHours"),
        `must exceed tls.validityHours (${cfg.tls.validityHours}); a certificate cannot outlive its CA`,
      );
      cfg.tls.caValidityHours = cfg.tls.validityHours + 1;
      assert.deepStrictEqual(tlsProblems(cfg), []);
    });

    it("reports early renewal as long as the certificate's life", () => {
      const cfg = compliant();
      cfg.tls.earlyRenewalHours = cfg.tls.validityHours;
      assert.strictEqual(
        only(tlsProblems(cfg), "tls.earlyRenewalHours"),
        `must be less than tls.validityHours (${cfg.tls.validityHours}), or every update reissues the certificate`,
      );
      cfg.tls.earlyRenewalHours = cfg.tls.validityHours - 1;
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

    it("reads sslmode among the URL's other parameters, decoded, and by its exact name", () => {
      const cfg = compliant();
      const url = (query: string) => (cfg.database.connectionUrl = `postgres://coder@db:5432/coder?${query}`);
      for (const query of ["application_name=coder&sslmode=verify-full", "sslmode=verify%2Dfull&x=1"]) {
        url(query);
        assert.deepStrictEqual(databaseProblems(cfg), [], query);
      }
      url("x_sslmode=verify-full");
      assert.match(only(databaseProblems(cfg), "database.connectionUrl"), /^its sslmode is not set but/);
      url("sslmode");
      assert.match(only(databaseProblems(cfg), "database.connectionUrl"), /^its sslmode is not set but/);
      url("sslmode=require");
      assert.strictEqual(
        only(databaseProblems(cfg), "database.connectionUrl"),
        'its sslmode is "require" but database.sslMode is "verify-full"; add ?sslmode=verify-full to the URL ' +
          "(verify-full checks the server certificate and host name)",
      );
    });

    it("asks for the URL secret off eks, with the command, and leaves it to the RDS instance on eks", () => {
      const cfg = compliant();
      delete cfg.database.connectionUrl;
      assert.strictEqual(
        only(databaseProblems(cfg), "database.connectionUrl"),
        "required secret, not set; run: pulumi config set --secret --path " +
          "'coder-blueprint:database.connectionUrl' 'postgres://...?sslmode=verify-full'",
      );
      cfg.cluster = { target: "eks" };
      assert.deepStrictEqual(databaseProblems(cfg), []);
      delete cfg.database;
      cfg.cluster = { target: "existing" };
      assert.match(
        only(databaseProblems(cfg), "database"),
        /^required while coder\.enabled is true; .* --path 'coder-blueprint:database\.connectionUrl' /,
      );
    });
  });

  describe("git", () => {
    it("reports a provider id used twice", () => {
      const cfg = compliant();
      const provider = { id: "gh", type: "github", clientId: "a", clientSecret: "b", egressCidrs: [] };
      cfg.gitProviders = [provider, { ...provider, type: "gitlab" }];
      assert.match(only(gitProblems(cfg), "gitProviders[1].id"), /used twice/);
    });

    it("needs both endpoints of a self-hosted Bitbucket", () => {
      const cfg = compliant();
      const bb = { id: "bb", type: "bitbucket-server", clientId: "a", clientSecret: "b", egressCidrs: [] };
      cfg.gitProviders = [{ ...bb, authUrl: "https://bitbucket.example.com/rest/oauth2/latest/authorize" }];
      assert.match(only(gitProblems(cfg), "gitProviders[0].authUrl"), /give authUrl and tokenUrl/);
      cfg.gitProviders = [{ ...bb, tokenUrl: "https://bitbucket.example.com/rest/oauth2/latest/token" }];
      assert.match(only(gitProblems(cfg), "gitProviders[0].authUrl"), /give authUrl and tokenUrl/);
      cfg.gitProviders[0].authUrl = "https://bitbucket.example.com/rest/oauth2/latest/authorize";
      assert.deepStrictEqual(gitProblems(cfg), []);
    });

    it("tells providers of one type apart only when every one has its own regex", () => {
      const cfg = compliant();
      const gh = { type: "github", clientId: "a", clientSecret: "b", egressCidrs: [] };
      cfg.gitProviders = [
        { ...gh, id: "a", regex: "^https://a/" },
        { ...gh, id: "b", regex: "^https://b/" },
        { ...gh, id: "c" },
      ];
      assert.strictEqual(
        only(gitProblems(cfg), "gitProviders[1].regex"),
        '3 providers have type "github"; Coder can tell them apart only by URL, so give each a distinct regex ' +
          "(e.g. ^https://github\\.example\\.com/.*) or keep one provider per type",
      );
      cfg.gitProviders[2].regex = "^https://c/";
      assert.deepStrictEqual(gitProblems(cfg), []);
      cfg.gitProviders.push({ ...gh, id: "gl", type: "gitlab" });
      assert.deepStrictEqual(gitProblems(cfg), []);
    });
  });
});
