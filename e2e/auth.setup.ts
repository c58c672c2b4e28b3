import { test as setup } from "@playwright/test";
import { VIEWER_STATE } from "./lib/storage-state";
import { signIn } from "./lib/stack-auth";

// The specs browse as a viewer, the least privilege that sees everything; the security specs
// make their own sessions per role.
setup("sign in as a viewer", async ({ request, baseURL }) => {
  await signIn(request, baseURL!, "viewer");
  await request.storageState({ path: VIEWER_STATE });
});
