import * as pulumi from "@pulumi/pulumi";

/**
 * A namespace the blueprint manages. Resource names and selectors use the literal `name`, so a preview
 * already knows them; `ref` is the namespace resource's name output, so what lives in it waits for it.
 */
export interface NamespaceRef {
  /** The namespace's name as configured. */
  readonly name: string;
  /** The same name, resolved once the namespace exists. */
  readonly ref: pulumi.Input<string>;
}
