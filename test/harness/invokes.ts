// Lets a spec answer provider invokes (data sources) the way a live account would, for the duration of
// one run. The shared mocks answer every invoke with its own arguments, which reads as "nothing exists".
import * as pulumi from "@pulumi/pulumi";
import "./mocks";

/** Returns the invoke's result, throws to fail it, or returns undefined to leave it to the shared mocks. */
export type InvokeAnswer = (token: string, inputs: any, provider?: string) => Record<string, unknown> | undefined;

export async function withInvokes<T>(answer: InvokeAnswer, run: () => Promise<T>): Promise<T> {
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const shared = monitor.mocks.call.bind(monitor.mocks);
  monitor.mocks.call = (args) => answer(args.token, args.inputs, args.provider) ?? shared(args);
  try {
    return await run();
  } finally {
    monitor.mocks.call = shared;
  }
}

/**
 * Runs `run` and lists every provider invoke (data source) it made, with the provider reference it went
 * through; `answer`, when given, answers them as in withInvokes.
 */
export async function invokesDuring<T>(
  run: () => Promise<T>,
  answer: InvokeAnswer = () => undefined,
): Promise<{ result: T; invokes: Array<{ token: string; provider?: string }> }> {
  const invokes: Array<{ token: string; provider?: string }> = [];
  const result = await withInvokes((token, inputs, provider) => {
    invokes.push({ token, provider });
    return answer(token, inputs, provider);
  }, run);
  return { result, invokes };
}
