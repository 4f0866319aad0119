import * as assert from "assert";
import { K8S } from "../lib/types";
import { coderReleaseUnhardenedValues } from "../policies/coder/coder-release-unhardened-values";
import { mandatory, unknown } from "./harness/analyzer";
import { expectNotApplicable, expectPass, expectPreviewGap, expectViolation, show } from "./expect";
import { compliantCoderRelease } from "./fixtures/coder";
import { mutate, resource } from "./fixtures/resources";

const WHO = 'Release "coder"';
const withCoder = (change: (coder: any, values: any) => void) =>
  mutate(compliantCoderRelease(), (p) => change(p.values.coder, p.values));
const withContext = (change: (sc: any) => void) => withCoder((c) => change(c.securityContext));
const HARDENED_FIX =
  /set values\.coder\.securityContext to \{runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: \{drop: \["ALL"\]\}\} and add no capabilities/;
const HARDENED_INIT = {
  name: "wait-for-db",
  image: "ghcr.io/coder/coder:v2.36.3",
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1000,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
  },
};
const withInit = (change: (init: any) => void = () => undefined) =>
  withCoder((c) => {
    const init = structuredClone(HARDENED_INIT);
    change(init);
    c.initContainers = [init];
  });
const RULE = {
  apiGroups: [""],
  resources: ["services"],
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
};
const withRule = (rule: Record<string, unknown>) =>
  withCoder((c) => (c.serviceAccount.extraRules = [RULE, { ...RULE, ...rule }]));

describe("coder-release-unhardened-values", () => {
  it("passes a hardened coderd container, exact extra rules, no extra templates and a hardened init container", async () => {
    await expectPass(coderReleaseUnhardenedValues, compliantCoderRelease());
    await expectPass(
      coderReleaseUnhardenedValues,
      withCoder((c, v) => {
        c.serviceAccount.extraRules = [RULE];
        v.extraTemplates = [];
        c.initContainers = [HARDENED_INIT];
      }),
    );
  });

  it("judges a Coder chart from a local .tgz archive (air-gapped installs) and a helm.v4 Chart", async () => {
    const local = mutate(compliantCoderRelease(), (p) => {
      p.chart = "/opt/charts/coder-2.36.3.tgz";
      delete p.repositoryOpts;
      delete p.version;
      p.values.coder.securityContext.privileged = true;
    });
    await expectViolation(coderReleaseUnhardenedValues, local, WHO, /coder\.securityContext\.privileged is true/);
    const v4 = resource(
      K8S.helmChartV4,
      "coder-v4",
      { chart: "./charts/coder", values: { coder: {} } },
      { provider: null },
    );
    await expectViolation(
      coderReleaseUnhardenedValues,
      v4,
      'Chart "coder-v4"',
      /coder\.securityContext leaves coderd's container unhardened/,
    );
  });

  it("does not apply to other charts", async () => {
    await expectNotApplicable(
      coderReleaseUnhardenedValues,
      mutate(compliantCoderRelease(), (p) => (p.chart = "/opt/charts/coder-provisioner-2.36.3.tgz")),
      /Coder Helm chart/,
    );
  });

  it("fails a release without coder.securityContext, naming every missing setting (the chart's defaults are not relied on)", async () => {
    await expectViolation(
      coderReleaseUnhardenedValues,
      withCoder((c) => delete c.securityContext),
      WHO,
      new RegExp(
        /coder\.securityContext leaves coderd's container unhardened \(runAsNonRoot is not set; allowPrivilegeEscalation is not set; readOnlyRootFilesystem is not set; capabilities\.drop does not contain "ALL"\); /
          .source +
          HARDENED_FIX.source +
          / \(the chart's defaults are not relied on\)\./.source,
      ),
    );
  });

  for (const [what, change, found] of [
    ["runAsNonRoot false", (sc: any) => (sc.runAsNonRoot = false), /runAsNonRoot is false/],
    [
      "allowPrivilegeEscalation true",
      (sc: any) => (sc.allowPrivilegeEscalation = true),
      /allowPrivilegeEscalation is true/,
    ],
    [
      "readOnlyRootFilesystem unset",
      (sc: any) => delete sc.readOnlyRootFilesystem,
      /readOnlyRootFilesystem is not set/,
    ],
    [
      "readOnlyRootFilesystem false",
      (sc: any) => (sc.readOnlyRootFilesystem = false),
      /readOnlyRootFilesystem is false/,
    ],
    [
      "capabilities.drop without ALL",
      (sc: any) => (sc.capabilities.drop = ["NET_RAW"]),
      /capabilities\.drop does not contain "ALL"/,
    ],
    ["added capabilities", (sc: any) => (sc.capabilities.add = ["NET_ADMIN"]), /capabilities\.add grants NET_ADMIN/],
  ] as const) {
    it(`fails coder.securityContext with ${what}`, async () => {
      const v = await expectViolation(coderReleaseUnhardenedValues, withContext(change), WHO, found);
      assert.match(v.detail, HARDENED_FIX);
    });
  }

  it("requires ALL in upper case, as Pod Security restricted does", async () => {
    await expectViolation(
      coderReleaseUnhardenedValues,
      withContext((sc) => (sc.capabilities.drop = ["all"])),
      WHO,
      /capabilities\.drop does not contain "ALL"/,
    );
  });

  it("fails a privileged coderd container", async () => {
    await expectViolation(
      coderReleaseUnhardenedValues,
      withContext((sc) => (sc.privileged = true)),
      WHO,
      /coder\.securityContext\.privileged is true, which gives coderd \(and whoever takes it over\) root on the node; remove privileged from values\.coder\.securityContext\./,
    );
  });

  it("fails a hostPath volume in coderd's pod", async () => {
    await expectViolation(
      coderReleaseUnhardenedValues,
      withCoder((c) => c.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } })),
      WHO,
      /coder\.volumes "docker" mounts hostPath "\/var\/run\/docker\.sock" from the node into coderd; use an emptyDir or a Secret\/ConfigMap volume instead\./,
    );
    await expectViolation(
      coderReleaseUnhardenedValues,
      withCoder((c) => c.volumes.push({ name: "node", hostPath: unknown.object })),
      WHO,
      /coder\.volumes "node" mounts hostPath \(a path unknown during preview\) from the node/,
    );
  });

  it("fails wildcards in coder.serviceAccount.extraRules", async () => {
    const fix =
      /which lets whoever holds coderd's token reach everything added to the cluster later or raise its own privileges; list the exact verbs, resources and apiGroups, without escalate, bind or impersonate\./;
    for (const [rule, found] of [
      [{ verbs: ["*"] }, /extraRules\[1\] grants coderd's service account verbs \*,/],
      [{ resources: ["*"] }, /extraRules\[1\] grants coderd's service account resources \*,/],
      [{ resources: ["pods/*"] }, /grants coderd's service account resources pods\/\*,/],
      [{ apiGroups: ["*"] }, /grants coderd's service account apiGroups \*,/],
    ] as const) {
      const v = await expectViolation(coderReleaseUnhardenedValues, withRule(rule), WHO, found);
      assert.match(v.detail, fix);
    }
  });

  it("fails escalate, bind and impersonate in coder.serviceAccount.extraRules", async () => {
    for (const verb of ["escalate", "bind", "impersonate", "Impersonate"]) {
      await expectViolation(
        coderReleaseUnhardenedValues,
        withRule({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["get", verb] }),
        WHO,
        new RegExp(`extraRules\\[1\\] grants coderd's service account verb ${verb},`),
      );
    }
  });

  it("passes drop lists naming more than ALL, and ignores a capability entry that is no name", async () => {
    await expectPass(
      coderReleaseUnhardenedValues,
      withContext((sc) => {
        sc.capabilities.drop = ["ALL", "NET_RAW"];
        sc.capabilities.add = [null];
      }),
    );
  });

  it("lists every capability coderd adds, and every problem of one extra rule", async () => {
    await expectViolation(
      coderReleaseUnhardenedValues,
      withContext((sc) => (sc.capabilities.add = ["NET_ADMIN", "SYS_TIME"])),
      WHO,
      /\(capabilities\.add grants NET_ADMIN, SYS_TIME\)/,
    );
    await expectViolation(
      coderReleaseUnhardenedValues,
      withRule({ verbs: ["*"], resources: ["*"] }),
      WHO,
      /extraRules\[1\] grants coderd's service account [^,]+\*, [^,]+\*, which lets/,
    );
  });

  it("skips a volume entry that is not an object, which mounts nothing", async () => {
    await expectPass(
      coderReleaseUnhardenedValues,
      withCoder((c) => c.volumes.push("tmp")),
    );
  });

  it("fails extraTemplates written as one YAML text or a map of templates, but not blank text", async () => {
    const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n";
    for (const extraTemplates of [configMap, { "extra.yaml": configMap }])
      await expectViolation(
        coderReleaseUnhardenedValues,
        withCoder((_c, v) => (v.extraTemplates = extraTemplates)),
        WHO,
        /extraTemplates adds manifests that Helm renders inside the release/,
      );
    await expectPass(
      coderReleaseUnhardenedValues,
      withCoder((_c, v) => (v.extraTemplates = " \n")),
    );
  });

  it("fails any extraTemplates, which render manifests no policy sees", async () => {
    const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n";
    await expectViolation(
      coderReleaseUnhardenedValues,
      withCoder((_c, v) => (v.extraTemplates = [configMap])),
      WHO,
      /extraTemplates adds 1 manifest\(s\) that Helm renders inside the release, where no policy can judge them; remove values\.extraTemplates and deploy those objects as Pulumi resources of their own\./,
    );
  });

  for (const [what, change, found] of [
    ["privileged", (i: any) => (i.securityContext.privileged = true), /privileged is true/],
    ["running as root", (i: any) => (i.securityContext.runAsUser = 0), /runAsUser is 0 \(root\)/],
    [
      "without runAsNonRoot on it or the pod",
      (i: any) => delete i.securityContext.runAsNonRoot,
      /runAsNonRoot is not set \(container and coder\.podSecurityContext\)/,
    ],
    [
      "allowing privilege escalation",
      (i: any) => delete i.securityContext.allowPrivilegeEscalation,
      /allowPrivilegeEscalation is not set/,
    ],
    [
      "keeping capabilities",
      (i: any) => delete i.securityContext.capabilities,
      /capabilities\.drop does not contain "ALL"/,
    ],
    [
      "adding a capability",
      (i: any) => (i.securityContext.capabilities.add = ["SYS_ADMIN"]),
      /capabilities\.add grants SYS_ADMIN/,
    ],
    [
      "without any securityContext",
      (i: any) => delete i.securityContext,
      /allowPrivilegeEscalation is not set; runAsNonRoot is not set/,
    ],
  ] as const) {
    it(`fails an init container ${what}`, async () => {
      const release =
        what === "without runAsNonRoot on it or the pod" || what === "without any securityContext"
          ? mutate(withInit(change), (p) => delete p.values.coder.podSecurityContext.runAsNonRoot)
          : withInit(change);
      const v = await expectViolation(
        coderReleaseUnhardenedValues,
        release,
        `${WHO}: coder.initContainers "wait-for-db"`,
        found,
      );
      assert.match(
        v.detail,
        /may run privileged or as root in coderd's pod \(.*\); give it securityContext \{runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: \{drop: \["ALL"\]\}\} and no privileged, runAsUser 0 or added capabilities, or remove it\./,
      );
    });
  }

  it("takes an init container's user from the pod when it sets none, and lists every added capability", async () => {
    await expectViolation(
      coderReleaseUnhardenedValues,
      mutate(
        withInit((i) => {
          delete i.securityContext.runAsUser;
          i.securityContext.capabilities.add = ["NET_ADMIN", "SYS_TIME"];
        }),
        (p) => (p.values.coder.podSecurityContext.runAsUser = 0),
      ),
      `${WHO}: coder.initContainers "wait-for-db"`,
      /\(runAsUser is 0 \(root\); capabilities\.add grants NET_ADMIN, SYS_TIME\)/,
    );
  });

  it("credits an init container with the pod's runAsNonRoot, as Kubernetes does", async () => {
    await expectPass(
      coderReleaseUnhardenedValues,
      withInit((i) => delete i.securityContext.runAsNonRoot),
    );
  });

  it("still reports known problems when part of the values is unknown during preview", async () => {
    const release = withCoder((c) => {
      c.securityContext.readOnlyRootFilesystem = unknown.boolean;
      c.securityContext.allowPrivilegeEscalation = true;
      c.serviceAccount.extraRules = [unknown.object, { ...RULE, verbs: ["*"] }];
    });
    const o = await expectPreviewGap(
      coderReleaseUnhardenedValues,
      release,
      /readOnlyRootFilesystem can't be known during preview/,
    );
    const known = mandatory(o).map((v) => v.detail);
    assert.strictEqual(known.length, 2, show(o));
    assert.match(known[0], /unhardened \(allowPrivilegeEscalation is true\)/);
    assert.match(known[1], /extraRules\[1\] grants coderd's service account verbs \*/);
  });
});
