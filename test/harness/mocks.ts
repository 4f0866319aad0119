// Pulumi's unit-test mocks, installed once per mocha process before any program module is imported.
// The AWS layer and Helm cannot be reached here, so every resource registration lands in `recorded`,
// where specs read the inputs the program sent to the engine.
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: any;
  provider?: string;
  custom: boolean;
}

let recorded: RecordedResource[] = [];

/** Provider-computed outputs that the program reads back; everything else echoes the inputs. */
function computedOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  switch (args.type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\nmock-${args.name}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: "mock-public",
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: `-----BEGIN CERTIFICATE-----\nmock-${args.name}\n-----END CERTIFICATE-----\n` };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: "mock-csr" };
    case "aws:rds/instance:Instance":
      return {
        address: `${args.name}.mock.eu-west-1.rds.amazonaws.com`,
        resourceId: "db-MOCKRESOURCEID",
        masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!${args.name}` }],
      };
    default:
      return {};
  }
}

void pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({
        type: args.type,
        name: args.name,
        inputs: args.inputs,
        provider: args.provider,
        custom: args.custom ?? false,
      });
      return { id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args) } };
    },
    call(args) {
      return args.inputs;
    },
  },
  "coder-blueprint",
  "test",
  false,
);

/**
 * Runs a program and returns every resource it registered. Registration is asynchronous, so this waits
 * for the program's outputs and then until no further registrations arrive.
 */
export async function capture(program: () => unknown): Promise<RecordedResource[]> {
  recorded = [];
  const outputs = program();
  await new Promise<void>((resolve) => pulumi.output(outputs as any).apply(() => resolve()));
  let settled = -1;
  while (settled !== recorded.length) {
    settled = recorded.length;
    await new Promise((r) => setTimeout(r, 25));
  }
  const result = recorded;
  recorded = [];
  return result;
}
