import { eksConfigMapAuth } from "../policies/aws/eks-config-map-auth";
import { K8S } from "../lib/types";
import { expectPass, expectViolation } from "./expect";
import { compliantEksCluster } from "./fixtures/aws";
import { mutate, resource } from "./fixtures/resources";

const CLUSTER = 'EKS cluster "coder"';
const configMap = (type: string, name: string, namespace: string) =>
  resource(type, name, {
    metadata: { name, namespace },
    data: { mapRoles: "- rolearn: arn:aws:iam::123456789012:role/admins\n  groups: [system:masters]\n" },
  });
const withMode = (mode?: string) =>
  mutate(compliantEksCluster(), (p) =>
    mode === undefined ? delete p.accessConfig.authenticationMode : (p.accessConfig.authenticationMode = mode),
  );

describe("eks-config-map-auth", () => {
  it('passes a cluster with authenticationMode "API" and ConfigMaps other than aws-auth', async () => {
    await expectPass(eksConfigMapAuth, compliantEksCluster());
    await expectPass(eksConfigMapAuth, configMap(K8S.configMap, "coder-ca", "kube-system"));
    await expectPass(eksConfigMapAuth, configMap(K8S.configMap, "aws-auth", "coder"));
    await expectPass(eksConfigMapAuth, resource(K8S.configMap, "generated", { data: { key: "value" } }));
  });

  it("fails API_AND_CONFIG_MAP and CONFIG_MAP", async () => {
    await expectViolation(
      eksConfigMapAuth,
      withMode("API_AND_CONFIG_MAP"),
      CLUSTER,
      /authenticationMode is "API_AND_CONFIG_MAP", so the aws-auth ConfigMap can grant cluster access; set accessConfig\.authenticationMode: "API"/,
    );
    await expectViolation(eksConfigMapAuth, withMode("CONFIG_MAP"), CLUSTER, /"CONFIG_MAP"/);
  });

  it("fails an unset mode and a cluster without accessConfig (the provider default honours aws-auth)", async () => {
    await expectViolation(eksConfigMapAuth, withMode(), CLUSTER, /unset \(the EKS default honours aws-auth\)/);
    await expectViolation(
      eksConfigMapAuth,
      mutate(compliantEksCluster(), (p) => delete p.accessConfig),
      CLUSTER,
      /unset/,
    );
  });

  it("fails a managed aws-auth ConfigMap or ConfigMapPatch in kube-system", async () => {
    await expectViolation(
      eksConfigMapAuth,
      configMap(K8S.configMap, "aws-auth", "kube-system"),
      'ConfigMap "kube-system/aws-auth"',
      /manages the aws-auth ConfigMap.*use access entries and authenticationMode "API" instead/,
    );
    await expectViolation(
      eksConfigMapAuth,
      configMap(K8S.configMapPatch, "aws-auth", "kube-system"),
      'ConfigMapPatch "kube-system/aws-auth"',
      /manages the aws-auth ConfigMap/,
    );
  });
});
