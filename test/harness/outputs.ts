// Reading an Output's value in a spec, once the mocks have settled it.
import * as pulumi from "@pulumi/pulumi";

/**
 * The value of `output`. Rejects when the output failed (an apply that threw), where waiting on `apply`
 * would hang until the spec times out; that is why it reads the Output's internal promise.
 */
export function valueOf<T>(output: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return (pulumi.output(output) as unknown as { promise(): Promise<pulumi.Unwrap<T>> }).promise();
}
