import "./test/harness/mocks";
import { stackConfig } from "./test/harness/stacks";
import { deployUnderMocks, previewUnderMocks } from "./test/harness/deploy";
(async () => {
  for (const s of ["dev", "prod"]) {
    const r = await deployUnderMocks(stackConfig(s));
    console.log(s, r.length, r.filter((x) => x.type.startsWith("aws:")).length);
    const p = await previewUnderMocks(stackConfig(s));
    console.log(s, "preview", p.length);
  }
  process.exit(0);
})().catch((e) => { console.log("ERR", String(e).slice(0, 2000)); process.exit(1); });
