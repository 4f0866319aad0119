// A minimal client for the loopback API server: the e2e suite checks what the API server holds through its
// own REST API, not through Pulumi's view of it, and the sandbox prepares the cluster with it.
import * as fs from "fs";
import * as https from "https";

export interface KubeAccess {
  server: string;
  caFile: string;
  token: string;
}

export interface ApiResponse {
  status: number;
  /** Whatever JSON the API server answered; each caller reads the fields of the kind it asked for. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export class KubeApi {
  private readonly agent: https.Agent;

  constructor(private readonly access: KubeAccess) {
    this.agent = new https.Agent({ ca: fs.readFileSync(access.caFile), keepAlive: false });
  }

  request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<ApiResponse> {
    const url = new URL(path, this.access.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.access.token}`,
      Accept: "application/json",
    };
    if (payload) headers["Content-Type"] = contentType;
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.agent, timeout: 30_000 }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (data += chunk));
        res.on("end", () => {
          let parsed: unknown = data;
          try {
            parsed = data ? JSON.parse(data) : undefined;
          } catch {
            // Non-JSON bodies (healthz) stay text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  get(path: string) {
    return this.request("GET", path);
  }

  post(path: string, body: unknown) {
    return this.request("POST", path, body);
  }

  /** A JSON merge patch, as an operator's `kubectl label --overwrite` would change an object. */
  mergePatch(path: string, body: unknown) {
    return this.request("PATCH", path, body, "application/merge-patch+json");
  }

  delete(path: string) {
    return this.request("DELETE", path);
  }

  /** Whether `user` may do `verb` on `resource` (in `namespace`, or cluster-wide), per the API server's RBAC. */
  async can(
    user: { name: string; groups?: string[] },
    verb: string,
    resource: string,
    namespace?: string,
    group = "",
  ): Promise<boolean> {
    const review = await this.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user: user.name,
        groups: user.groups ?? [],
        resourceAttributes: { verb, resource, group, ...(namespace ? { namespace } : {}) },
      },
    });
    if (review.status !== 201)
      throw new Error(`SubjectAccessReview failed: ${review.status} ${JSON.stringify(review.body)}`);
    return (review.body as { status: { allowed?: boolean } }).status.allowed === true;
  }
}

export function serviceAccountUser(namespace: string, name: string) {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
  };
}
