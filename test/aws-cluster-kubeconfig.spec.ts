// The Kubernetes provider for the EKS cluster: an exec token, nothing secret in the state.
import "./harness/mocks";
import * as assert from "assert";
import { buildKubeconfig, clusterProviderFor } from "../components/aws/cluster/kubeconfig";
import { capture } from "./harness/mocks";

const values = {
  clusterName: "coder-prod",
  endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
  certificateAuthorityData: "LS0tLS1CRUdJTi1DQQ==",
  region: "eu-west-1",
};

describe("EKS kubeconfig", () => {
  it("points at the cluster's endpoint and CA, and fetches a token with aws eks get-token", () => {
    const config = JSON.parse(buildKubeconfig(values));
    // client-go refuses a kubeconfig of another kind or version.
    assert.strictEqual(config.apiVersion, "v1");
    assert.strictEqual(config.kind, "Config");
    assert.deepStrictEqual(config.clusters, [
      {
        name: "coder-prod",
        cluster: { server: values.endpoint, "certificate-authority-data": values.certificateAuthorityData },
      },
    ]);
    assert.strictEqual(config["current-context"], "coder-prod");
    assert.deepStrictEqual(config.contexts, [
      { name: "coder-prod", context: { cluster: "coder-prod", user: "coder-prod" } },
    ]);
    const [user] = config.users;
    assert.deepStrictEqual(Object.keys(user.user), ["exec"], "the user carries a token, password or key");
    assert.deepStrictEqual(user.user.exec, {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "coder-prod", "--region", "eu-west-1", "--output", "json"],
      interactiveMode: "Never",
    });
  });

  it("assumes a role or uses a profile when told", () => {
    const exec = JSON.parse(
      buildKubeconfig({ ...values, roleArn: "arn:aws:iam::111122223333:role/deployer", profile: "ops" }),
    ).users[0].user.exec;
    assert.deepStrictEqual(exec.args.slice(-2), ["--role-arn", "arn:aws:iam::111122223333:role/deployer"]);
    assert.deepStrictEqual(exec.env, [{ name: "AWS_PROFILE", value: "ops" }]);
  });

  it("makes a provider identified by the cluster name, with no credential in its inputs", async () => {
    const [provider] = await capture(() => clusterProviderFor("eks", values).urn);
    assert.strictEqual(provider.type, "pulumi:providers:kubernetes");
    assert.strictEqual(provider.inputs.clusterIdentifier, "coder-prod");
    const text: string = provider.inputs.kubeconfig;
    assert.doesNotMatch(text, /"(token|password|client-key-data|client-certificate-data)"/);
    const config = JSON.parse(text);
    assert.strictEqual(config.clusters[0].cluster.server, values.endpoint);
    assert.strictEqual(config.users[0].user.exec.command, "aws");
  });
});
